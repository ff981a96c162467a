using Amazon.Runtime;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Aws.Tests.Signing;

public sealed class SdkCredentialsSourceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Session_credentials_keep_their_token()
    {
        var source = new SdkCredentialsSource(new SessionAWSCredentials("ASIAEXAMPLE", "secret", "token-1"));

        var credentials = await source.GetCredentialsAsync(Token);

        Assert.Equal(new SigningCredentials("ASIAEXAMPLE", "secret", "token-1"), credentials);
    }

    [Fact]
    public async Task Long_term_keys_have_no_token()
    {
        var source = new SdkCredentialsSource(new BasicAWSCredentials("AKIAEXAMPLE", "secret"));

        var credentials = await source.GetCredentialsAsync(Token);

        Assert.Null(credentials.SessionToken);
    }

    [Fact]
    public async Task The_default_chain_reads_the_variables_lambda_sets()
    {
        var saved = new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" }
            .ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "ASIAFROMENV");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "env-secret");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "env-token");

            var credentials = await new SdkCredentialsSource().GetCredentialsAsync(Token);

            Assert.Equal(new SigningCredentials("ASIAFROMENV", "env-secret", "env-token"), credentials);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}

using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace JobsFunctions.Aws.Signing;

/// <summary>
/// Credentials from AWSSDK.Core's default chain (environment variables — what Lambda provides —, profiles, SSO,
/// container and instance metadata). The chain is resolved once; the resulting <see cref="AWSCredentials"/> object
/// caches and refreshes by itself, so each request asks it again and gets fresh keys when they rotate.
/// </summary>
public sealed class SdkCredentialsSource : ICredentialsSource
{
    private readonly Lazy<AWSCredentials> _credentials;

    public SdkCredentialsSource()
        : this(() => DefaultAWSCredentialsIdentityResolver.GetCredentials())
    {
    }

    public SdkCredentialsSource(AWSCredentials credentials)
        : this(() => credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
    }

    private SdkCredentialsSource(Func<AWSCredentials> resolve) =>
        _credentials = new Lazy<AWSCredentials>(resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    public async ValueTask<SigningCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = await _credentials.Value.GetCredentialsAsync().WaitAsync(cancellationToken);
        return new SigningCredentials(resolved.AccessKey, resolved.SecretKey, resolved.UseToken ? resolved.Token : null);
    }
}

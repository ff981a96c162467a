namespace JobsFunctions.Aws.Signing;

/// <summary>One resolved set of AWS credentials. <see cref="ToString"/> never shows the secret or the token.</summary>
public sealed record SigningCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public override string ToString() =>
        $"SigningCredentials {{ AccessKeyId = {AccessKeyId}, HasSessionToken = {!string.IsNullOrEmpty(SessionToken)} }}";
}

/// <summary>Where a client gets credentials for each request; implementations cache and refresh as they need.</summary>
public interface ICredentialsSource
{
    ValueTask<SigningCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
}

/// <summary>Fixed credentials: local emulators, tests, and tools that were handed keys explicitly.</summary>
public sealed class StaticCredentialsSource(SigningCredentials credentials) : ICredentialsSource
{
    public ValueTask<SigningCredentials> GetCredentialsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(credentials);
}

namespace JobsFunctions.Aws.CloudFormation;

/// <summary>
/// Answers a CloudFormation custom resource: a PUT of the outcome to the request's pre-signed S3 URL, with an empty
/// Content-Type (the URL was signed without one). If nobody answers, the stack waits up to an hour.
/// </summary>
public sealed class CustomResourceResponder(HttpClient http)
{
    public async Task RespondAsync(Uri responseUrl, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responseUrl);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = null;
        content.Headers.ContentLength = body.Length;
        using var request = new HttpRequestMessage(HttpMethod.Put, responseUrl) { Content = content };
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"CloudFormation's response URL refused the answer with HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }
}

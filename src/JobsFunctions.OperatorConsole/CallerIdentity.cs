using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.OperatorConsole;

/// <summary>
/// Who the console calls the API as: for a deployed API, AWS STS GetCallerIdentity (a signed Query API call that needs
/// no permission, https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html) answers the ARN the
/// API's audit trail will name; for the local stack, its fixed unsigned operator.
/// </summary>
internal static partial class CallerIdentity
{
    public const string LocalOperator = "the local stack's operator (unsigned; the local API names every caller the same)";

    public static async Task<string> DescribeAsync(HttpClient http, ApiTarget target, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Credentials is not { } source)
        {
            return LocalOperator;
        }

        try
        {
            return await AskStsAsync(http, target, source, clock, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Amazon.Runtime.AmazonClientException)
        {
            // The console still starts: every API call will fail the same way, and the page says so.
            return $"unknown ({e.Message.Split('\n')[0]})";
        }
    }

    private static async Task<string> AskStsAsync(HttpClient http, ApiTarget target, ICredentialsSource source, TimeProvider clock, CancellationToken cancellationToken)
    {
        var credentials = await source.GetCredentialsAsync(cancellationToken);
        var body = Encoding.UTF8.GetBytes("Action=GetCallerIdentity&Version=2011-06-15");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"https://sts.{target.Region}.amazonaws.com/"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        SigV4Signer.Sign(request, body, credentials, target.Region!, "sts", clock.GetUtcNow());
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var arn = ArnElement().Match(text);
        return response.IsSuccessStatusCode && arn.Success
            ? WebUtility.HtmlDecode(arn.Groups[1].Value)
            : $"unknown: STS GetCallerIdentity answered {(int)response.StatusCode} for access key {credentials.AccessKeyId}{(target.Profile is null ? "" : $" (profile {target.Profile})")}";
    }

    [GeneratedRegex("<Arn>([^<]+)</Arn>", RegexOptions.CultureInvariant)]
    private static partial Regex ArnElement();
}

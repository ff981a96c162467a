using System.Net.Http.Headers;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Aws.Tests.Signing;

public sealed class SigV4HttpRequestTests
{
    private static readonly SigningCredentials Credentials = new("AKID", "SECRET", "TOKEN");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 19, 48, 35, TimeSpan.Zero);

    [Fact]
    public void A_json_request_signs_content_type_host_date_and_token_and_nothing_hop_by_hop()
    {
        var body = "{}"u8.ToArray();
        using var message = new HttpRequestMessage(HttpMethod.Put, "https://iot.eu-west-1.amazonaws.com/jobs/j1/cancel")
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Content.Headers.ContentLength = body.Length;
        message.Headers.UserAgent.ParseAdd("jobsfunctions/1.0");

        var signature = SigV4Signer.Sign(message, body, Credentials, "eu-west-1", "iot", Now);

        Assert.Equal("content-type;host;x-amz-date;x-amz-security-token", signature.SignedHeaders);
        Assert.Equal("20261122T194835Z", message.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal("TOKEN", message.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.StartsWith(
            "AWS4-HMAC-SHA256 Credential=AKID/20261122/eu-west-1/iot/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=",
            message.Headers.GetValues("Authorization").Single(),
            StringComparison.Ordinal);
        Assert.False(message.Headers.Contains("x-amz-content-sha256"));
    }

    [Fact]
    public void An_escaped_path_label_is_escaped_again_in_the_canonical_request_as_aws_services_expect()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "https://iot.eu-west-1.amazonaws.com/things/a%3Ab/jobs/%24next?force=true");

        var signature = SigV4Signer.Sign(message, ReadOnlyMemory<byte>.Empty, Credentials, "eu-west-1", "iot", Now);

        var lines = signature.CanonicalRequest.Split('\n');
        Assert.Equal("/things/a%253Ab/jobs/%2524next", lines[1]);
        Assert.Equal("force=true", lines[2]);
    }

    [Fact]
    public void Signing_a_request_again_replaces_the_previous_signature_instead_of_adding_a_second()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "https://iot.eu-west-1.amazonaws.com/jobs/j1");

        var first = SigV4Signer.Sign(message, ReadOnlyMemory<byte>.Empty, Credentials, "eu-west-1", "iot", Now);
        var second = SigV4Signer.Sign(message, ReadOnlyMemory<byte>.Empty, Credentials, "eu-west-1", "iot", Now.AddSeconds(1));

        Assert.NotEqual(first.Signature, second.Signature);
        Assert.Equal(second.Authorization, message.Headers.GetValues("Authorization").Single());
        Assert.Equal("20261122T194836Z", message.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal("host;x-amz-date;x-amz-security-token", second.SignedHeaders);
    }

    [Fact]
    public void A_non_default_port_is_part_of_the_signed_host()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:5123/jobs/j1");

        var signature = SigV4Signer.Sign(message, ReadOnlyMemory<byte>.Empty, new SigningCredentials("A", "B"), "us-east-1", "iot", Now);

        Assert.Contains("\nhost:127.0.0.1:5123\n", signature.CanonicalRequest, StringComparison.Ordinal);
        Assert.Equal("host;x-amz-date", signature.SignedHeaders);
    }

    [Fact]
    public void Credentials_never_show_their_secret_when_printed()
    {
        var text = new SigningCredentials("AKID", "very-secret", "very-token").ToString();

        Assert.Contains("AKID", text, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("very-token", text, StringComparison.Ordinal);
    }
}

using System.Text;
using JobsFunctions.Local.Api;

namespace JobsFunctions.Local.Tests.Api;

public sealed class HttpReplyTests
{
    [Fact]
    public void A_full_response_keeps_its_status_headers_cookies_and_body()
    {
        var reply = HttpReply.FromFunctionResponse("""
            {"statusCode":409,"headers":{"content-type":"application/json","retry-after":3},"cookies":["a=1","b=2"],"body":"{\"code\":\"conflict.version\"}","isBase64Encoded":false}
            """u8);

        Assert.Equal(409, reply.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("content-type", "application/json"), reply.Headers);
        Assert.Contains(new KeyValuePair<string, string>("retry-after", "3"), reply.Headers);
        Assert.Equal(["a=1", "b=2"], reply.Headers.Where(h => h.Key == "set-cookie").Select(h => h.Value));
        Assert.Equal("""{"code":"conflict.version"}""", reply.BodyText);
    }

    [Fact]
    public void A_base64_body_is_decoded_to_its_bytes()
    {
        var reply = HttpReply.FromFunctionResponse("""{"statusCode":200,"body":"/+4A","isBase64Encoded":true}"""u8);

        Assert.Equal([0xFF, 0xEE, 0x00], reply.Body);
    }

    [Fact]
    public void Json_without_a_status_code_is_a_200_json_body()
    {
        var reply = HttpReply.FromFunctionResponse("""{"jobId":"fw-2026-11"}"""u8);

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal("""{"jobId":"fw-2026-11"}""", reply.BodyText);
        Assert.Contains(new KeyValuePair<string, string>("content-type", "application/json"), reply.Headers);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"statusCode":"200"}""")]
    [InlineData("""{"statusCode":42}""")]
    [InlineData("""{"statusCode":200,"body":"***","isBase64Encoded":true}""")]
    public void A_response_API_Gateway_cannot_read_becomes_a_500(string payload)
    {
        var reply = HttpReply.FromFunctionResponse(Encoding.UTF8.GetBytes(payload));

        Assert.Equal(500, reply.StatusCode);
        Assert.Equal("""{"message":"Internal Server Error"}""", reply.BodyText);
    }
}

using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// Error messages the adapter gives: a sentence of ours, followed by the service's own <c>message</c> only when that
/// is at most <see cref="MaxLength"/> characters and is one printable line (<see cref="UnicodeText.IsOnePrintableLine"/>:
/// nothing the model's <c>[^\p{C}]+</c> patterns exclude, and no line or paragraph separator). Anything longer or
/// stranger is not ours to forward verbatim to an operator or an audit trail. Exception text, including a transport
/// failure's, never appears.
/// </summary>
internal static class ServiceMessages
{
    internal const int MaxLength = 256;

    /// <summary>
    /// The service's own message when it came from an error answer (not a transport failure or an unreadable 200,
    /// whose messages are ours and carry exception text) and is fit to show.
    /// </summary>
    public static string? Fit(IotServiceException failure)
    {
        if (failure.HttpStatus < 300)
        {
            return null;
        }

        var message = failure.Message.Trim();
        return message.Length is > 0 and <= MaxLength && UnicodeText.IsOnePrintableLine(message) ? message : null;
    }

    public static string Sentence(string ours, string? said) => said is null ? ours + "." : $"{ours}: {said}";
}

namespace JobsFunctions.Local;

/// <summary>
/// Something the person running the local stack can fix (a missing tool, a taken port, a bootstrap that does not
/// start): the message says what happened and what to do, and the command exits with 1 without a stack trace.
/// </summary>
public sealed class LocalStackException : Exception
{
    public LocalStackException(string message)
        : base(message)
    {
    }

    public LocalStackException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LocalStackException()
    {
    }
}

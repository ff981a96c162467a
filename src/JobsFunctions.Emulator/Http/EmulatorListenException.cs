namespace JobsFunctions.Emulator.Http;

/// <summary>The emulator could not listen on the port asked for (taken, or not allowed); the message says which.</summary>
public sealed class EmulatorListenException : Exception
{
    public EmulatorListenException(string message)
        : base(message)
    {
    }

    public EmulatorListenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EmulatorListenException()
    {
    }
}

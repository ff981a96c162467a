using System.Text;

namespace JobsFunctions.TestSupport;

/// <summary>
/// A console a local-stack command writes to while a test reads it (serve's addresses, its progress): every write and
/// every read under one lock, so a read never sees half a line being appended.
/// </summary>
public sealed class SharedConsole : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}


namespace NetIpc.Proc;

/// <summary>The Type column of /proc/net/unix (the SOCK_* constants).</summary>
public enum UnixSocketType
{
    Stream = 1,
    Dgram = 2,
    SeqPacket = 5,
}

/// <summary>The St column of /proc/net/unix: the generic socket state (SS_*), not a TCP state.</summary>
public enum UnixSocketState
{
    Free = 0,
    Unconnected = 1,
    Connecting = 2,
    Connected = 3,
    Disconnecting = 4,
}

/// <summary>
/// One line of /proc/net/unix. <see cref="Path"/> is null for an unbound socket (a socketpair end,
/// an accepted connection, a client that never bound). An abstract name starts with '@' and the
/// kernel prints every NUL inside it as '@' too, so "@a@b" may have been "\0a\0b" or "\0a@b".
/// </summary>
public sealed record UnixSocketEntry(
    int RefCount,
    int Protocol,
    uint Flags,
    UnixSocketType Type,
    UnixSocketState State,
    ulong Inode,
    string? Path)
{
    /// <summary>The kernel's __SO_ACCEPTCON flag, set by <c>listen()</c>.</summary>
    public const uint AcceptConnectionsFlag = 0x00010000;

    public bool IsListening => (Flags & AcceptConnectionsFlag) != 0;

    public bool IsAbstract => Path is not null && Path.StartsWith('@');
}

/// <summary>The parsed /proc/net/unix.</summary>
public sealed class UnixTable : ProcTable<UnixSocketEntry>
{
    public UnixTable(IReadOnlyList<UnixSocketEntry> entries) : base(entries)
    {
    }

    public static UnixTable Parse(string text, string file = "/proc/net/unix")
    {
        ArgumentNullException.ThrowIfNull(text);
        return new UnixTable(ParseEntries(text.AsSpan(), file, "RefCount", (line, number) => ParseLine(line, file, number)));
    }

    /// <summary>The file's raw bytes, as read from /proc: the fast path of the live readers.</summary>
    public static UnixTable Parse(ReadOnlySpan<byte> utf8, string file = "/proc/net/unix") =>
        new(ParseEntries(utf8, file, "RefCount", (line, number) => ParseLine(line, file, number)));

    /// <summary>One data line on its own (the header is not needed).</summary>
    public static UnixSocketEntry ParseLine(string line, string file = "line") => ParseLine(line.AsSpan(), file, 1);

    /// <summary>Each data line's text next to what it parses to, from one read of the file.</summary>
    public static IReadOnlyList<(string Text, UnixSocketEntry Entry)> ParseWithText(string text, string file = "/proc/net/unix") =>
        ParseEntriesWithText(text, file, "RefCount", (line, number) => ParseLine(line, file, number));

    private static UnixSocketEntry ParseLine(ReadOnlySpan<char> line, string file, int number)
    {
        var reader = new FieldReader(line, file, number);
        var num = reader.Next("Num");
        if (num[^1] != ':')
        {
            throw reader.Error("Num", $"expected the kernel pointer followed by ':', got '{num}'");
        }
        reader.ParseHex(num[..^1], "Num", 16);
        int refCount = (int)reader.NextHex("RefCount", 8);
        int protocol = (int)reader.NextHex("Protocol", 8);
        uint flags = (uint)reader.NextHex("Flags", 8);
        ulong type = reader.NextHex("Type", 4);
        if (!Enum.IsDefined(typeof(UnixSocketType), (int)type))
        {
            throw reader.Error("Type", $"{type} is not a UNIX socket type (1 stream, 2 dgram, 5 seqpacket)");
        }
        ulong state = reader.NextHex("St", 2);
        if (!Enum.IsDefined(typeof(UnixSocketState), (int)state))
        {
            throw reader.Error("St", $"{state} is not a socket state (0 to 4)");
        }
        ulong inode = reader.NextDecimal("Inode");
        // The path is everything after one space, spaces included: a file name may contain them.
        var rest = reader.RestAfterOneSpace;
        string? path = rest.IsEmpty ? null : rest.ToString();
        return new UnixSocketEntry(refCount, protocol, flags, (UnixSocketType)type, (UnixSocketState)state, inode, path);
    }
}

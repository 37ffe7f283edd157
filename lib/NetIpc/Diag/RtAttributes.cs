using System.Runtime.InteropServices;
using NetIpc.Proc;

namespace NetIpc.Diag;

/// <summary>One netlink attribute: its rta_type, the name a reader knows it by, and its payload (rta_len − 4 bytes).</summary>
internal readonly ref struct RtAttribute(ushort type, string name, ReadOnlySpan<byte> data)
{
    public ushort Type { get; } = type;
    public string Name { get; } = name;
    public ReadOnlySpan<byte> Data { get; } = data;
}

/// <summary>
/// Walks the rtattr list after a sock_diag reply's fixed message: each a 4-byte header (rta_len, rta_type, in the
/// host's byte order as all of netlink) and its payload, the next starting at rta_len rounded up to 4 (RTA_ALIGN).
/// A length that points outside the message, or bytes left over too few for a header, is an error naming the
/// message, the attribute and the byte counts: never a silent stop.
/// </summary>
internal ref struct RtAttributes
{
    /// <summary>sizeof(struct rtattr).</summary>
    public const int HeaderLength = 4;

    private ReadOnlySpan<byte> _rest;
    private readonly string _source;
    private readonly int _index;
    private readonly string _message;
    private readonly Func<ushort, string> _name;

    /// <param name="attributes">The bytes after the fixed message, up to the end of the netlink message.</param>
    /// <param name="source">What was read, for errors ("sock_diag inet").</param>
    /// <param name="index">The message's number in the dump, for errors.</param>
    /// <param name="message">The C struct the attributes follow ("inet_diag_msg"), for errors.</param>
    /// <param name="name">The C name of an attribute type ("INET_DIAG_INFO").</param>
    public RtAttributes(ReadOnlySpan<byte> attributes, string source, int index, string message, Func<ushort, string> name)
    {
        _rest = attributes;
        _source = source;
        _index = index;
        _message = message;
        _name = name;
    }

    public RtAttribute Current { get; private set; }

    public readonly RtAttributes GetEnumerator() => this;

    /// <exception cref="ProcFormatException">An attribute's length is impossible or the list ends inside a header.</exception>
    public bool MoveNext()
    {
        if (_rest.IsEmpty)
        {
            return false;
        }
        if (_rest.Length < HeaderLength)
        {
            throw Error("rtattr", $"{_rest.Length} bytes left over, an attribute header needs {HeaderLength}");
        }
        ushort length = MemoryMarshal.Read<ushort>(_rest);
        ushort type = MemoryMarshal.Read<ushort>(_rest[2..]);
        string name = _name(type);
        if (length < HeaderLength || length > _rest.Length)
        {
            throw Error(name, $"rta_len {length}, but {_rest.Length} bytes remain in the message (truncated?)");
        }
        Current = new RtAttribute(type, name, _rest[HeaderLength..length]);
        int advance = Netlink.Align(length);
        _rest = advance >= _rest.Length ? [] : _rest[advance..];
        return true;
    }

    /// <summary>An error about <paramref name="attribute"/> of this message, for a caller that finds its payload too short.</summary>
    public readonly ProcFormatException Error(string attribute, string problem) =>
        ProcFormatException.Netlink(_source, _index, _message, attribute, problem);
}

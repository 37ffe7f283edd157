
namespace NetIpc.Packets;

/// <summary>
/// A kernel "skb_over_panic" or "skb_under_panic": a Put past <see cref="SkBuff.End"/> or a Push
/// before <see cref="SkBuff.Head"/>. The kernel crashes on these; here they are exceptions whose
/// message is the kernel's log line (skb_panic, net/core/skbuff.c), with two differences: the model has
/// no code address, so "text:" is left out, and head and data are offsets from head, not addresses.
/// </summary>
public sealed class SkBuffPanicException(string message) : Exception(message);

/// <summary>A labelled stretch of the data area: which layer wrote those bytes.</summary>
public sealed record SkBuffRegion(int Start, int Length, string What);

/// <summary>The buffer's pointers after one operation, so a notebook can replay and draw its history.</summary>
public sealed record SkBuffStep(string Operation, int Data, int Tail, int End, int Len, int? MacHeader, int? NetworkHeader, int? TransportHeader, IReadOnlyList<SkBuffRegion> Regions)
{
    public int Headroom => Data;

    public int Tailroom => End - Tail;
}

/// <summary>
/// One packet's memory as the kernel's struct sk_buff keeps it (include/linux/skbuff.h): a single
/// buffer from <see cref="Head"/> to <see cref="End"/> and the packet between <see cref="Data"/> and
/// <see cref="Tail"/>. Every layer works on the same bytes: sending, a layer <see cref="Push"/>es its
/// header into the headroom in front of the data; receiving, it <see cref="Pull"/>s its header off.
/// Nothing is copied between layers. Offsets count from head, as the kernel's header offsets do;
/// an unset header offset is null (the kernel stores ~0).
/// </summary>
public sealed class SkBuff
{
    private readonly byte[] buffer;
    private readonly List<SkBuffRegion> regions = [];
    private readonly List<SkBuffStep> history = [];
    private readonly bool recordHistory;

    private SkBuff(int size, bool recordHistory)
    {
        buffer = new byte[size];
        End = size;
        this.recordHistory = recordHistory;
        if (recordHistory)
        {
            Record($"alloc_skb({size})");
        }
    }

    /// <summary>Always 0: offsets are measured from the start of the buffer.</summary>
    public int Head => 0;

    public int Data { get; private set; }

    public int Tail { get; private set; }

    public int End { get; }

    /// <summary>Bytes of packet: Tail − Data (this model keeps no paged fragments).</summary>
    public int Len => Tail - Data;

    public int Headroom => Data - Head;

    public int Tailroom => End - Tail;

    public int? MacHeader => macHeader;

    public int? NetworkHeader => networkHeader;

    public int? TransportHeader => transportHeader;

    /// <summary>The packet: the bytes from Data to Tail.</summary>
    public Span<byte> Packet => buffer.AsSpan(Data, Len);

    /// <summary>The whole buffer, head to end.</summary>
    public ReadOnlySpan<byte> Buffer => buffer;

    public IReadOnlyList<SkBuffStep> History => history;

    /// <summary>alloc_skb: an empty buffer of <paramref name="size"/> bytes, data = tail = head.</summary>
    /// <param name="recordHistory">Keep a step per operation for drawing (the default); off, it is only pointer arithmetic, as in the kernel.</param>
    public static SkBuff Alloc(int size, bool recordHistory = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return new SkBuff(size, recordHistory);
    }

    /// <summary>skb_reserve: moves data and tail forward to leave headroom. Only for an empty buffer, as in the kernel.</summary>
    public void Reserve(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (Len != 0)
        {
            throw new InvalidOperationException($"skb_reserve on a buffer that already holds {Len} bytes: reserve before put, as the kernel requires");
        }
        if (Tail + length > End)
        {
            // The kernel's skb_reserve checks nothing; the model stops here rather than corrupt its buffer.
            throw new SkBuffPanicException(Panic("skb_over_panic", length, Len, Data + length, Tail + length));
        }
        Data += length;
        Tail += length;
        if (recordHistory)
        {
            Record($"skb_reserve({length})");
        }
    }

    /// <summary>skb_put: extends the data at the tail and returns the new region to fill.</summary>
    public Span<byte> Put(int length, string what = "data")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (Tail + length > End)
        {
            // skb_put moves tail and len first, then checks: the line shows them already moved.
            throw new SkBuffPanicException(Panic("skb_over_panic", length, Len + length, Data, Tail + length));
        }
        int start = Tail;
        Tail += length;
        if (recordHistory)
        {
            regions.Add(new SkBuffRegion(start, length, what));
        }
        if (recordHistory)
        {
            Record($"skb_put({length})", what);
        }
        return buffer.AsSpan(start, length);
    }

    /// <summary>skb_push: extends the data in front, into the headroom, and returns the new start to fill.</summary>
    public Span<byte> Push(int length, string what = "header")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (Data - length < Head)
        {
            // skb_push moves data and len first, then checks: the line shows them already moved.
            throw new SkBuffPanicException(Panic("skb_under_panic", length, Len + length, Data - length, Tail));
        }
        Data -= length;
        if (recordHistory)
        {
            regions.Insert(0, new SkBuffRegion(Data, length, what));
        }
        if (recordHistory)
        {
            Record($"skb_push({length})", what);
        }
        return buffer.AsSpan(Data, length);
    }

    /// <summary>
    /// skb_pull: removes <paramref name="length"/> bytes from the front (a header, on the way up) and
    /// returns false, changing nothing, when the packet is shorter than that — the kernel returns NULL.
    /// </summary>
    public bool Pull(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > Len)
        {
            if (recordHistory)
            {
                Record($"skb_pull({length}) → NULL (len {Len})");
            }
            return false;
        }
        Data += length;
        int cut = Data;
        regions.RemoveAll(r => r.Start + r.Length <= cut);
        if (regions.Count > 0 && regions[0].Start < cut)
        {
            var first = regions[0];
            regions[0] = first with { Start = cut, Length = first.Start + first.Length - cut };
        }
        if (recordHistory)
        {
            Record($"skb_pull({length})");
        }
        return true;
    }

    /// <summary>
    /// Names the first <paramref name="length"/> bytes of the packet — a receiver identifying the header
    /// it is about to pull. Not a kernel operation: it only labels the drawing; no pointer moves.
    /// </summary>
    public void Identify(int length, string what)
    {
        if (length <= 0 || length > Len)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"cannot name {length} bytes of a {Len}-byte packet");
        }
        var rest = new List<SkBuffRegion> { new(Data, length, what) };
        foreach (var r in regions)
        {
            int start = Math.Max(r.Start, Data + length);
            int end = r.Start + r.Length;
            if (end > start)
            {
                rest.Add(r with { Start = start, Length = end - start });
            }
        }
        regions.Clear();
        regions.AddRange(rest);
        if (recordHistory)
        {
            Record($"(read {what}, {length} bytes)");
        }
    }

    /// <summary>skb_reset_mac_header: the MAC header starts at data.</summary>
    public void ResetMacHeader() => SetHeader(ref macHeader, Data, "skb_reset_mac_header");

    /// <summary>skb_reset_network_header: the network header starts at data.</summary>
    public void ResetNetworkHeader() => SetHeader(ref networkHeader, Data, "skb_reset_network_header");

    /// <summary>skb_reset_transport_header: the transport header starts at data.</summary>
    public void ResetTransportHeader() => SetHeader(ref transportHeader, Data, "skb_reset_transport_header");

    /// <summary>skb_set_network_header: the network header starts <paramref name="offset"/> bytes after data.</summary>
    public void SetNetworkHeader(int offset) => SetHeader(ref networkHeader, Data + offset, $"skb_set_network_header({offset})");

    /// <summary>skb_set_transport_header: the transport header starts <paramref name="offset"/> bytes after data.</summary>
    public void SetTransportHeader(int offset) => SetHeader(ref transportHeader, Data + offset, $"skb_set_transport_header({offset})");

    private int? macHeader;
    private int? networkHeader;
    private int? transportHeader;

    private void SetHeader(ref int? field, int offset, string operation)
    {
        if (offset < Head || offset > End)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"{operation}: offset {offset} is outside the buffer (0 to {End})");
        }
        field = offset;
        if (recordHistory)
        {
            Record(operation);
        }
    }

    /// <summary>The bytes from a header offset to tail: what skb_network_header() and friends point at.</summary>
    public Span<byte> From(int? headerOffset, string name = "header") => headerOffset is int offset
        ? buffer.AsSpan(offset, Tail - offset)
        : throw new InvalidOperationException($"the {name} offset is not set");

    // skb_panic's format, "%s: text:%px len:%d put:%d head:%px data:%px tail:%#lx end:%#lx dev:%s": the size is
    // labelled put: for a push too, tail and end are offsets printed with %#lx, and a buffer with no device says <NULL>.
    private string Panic(string kind, int size, int len, int data, int tail) =>
        $"{kind}: len:{len} put:{size} head:{Head} data:{data} tail:{HexOffset(tail)} end:{HexOffset(End)} dev:<NULL>";

    // C's %#lx: a 0x prefix, except for zero.
    private static string HexOffset(int value) => value == 0 ? "0" : $"0x{value:x}";

    // Callers test recordHistory first, so an unrecorded buffer does not even format the operation's name.
    private void Record(string operation, string? what = null) =>
        history.Add(new SkBuffStep(what is null ? operation : $"{operation} {what}", Data, Tail, End, Len, MacHeader, NetworkHeader, TransportHeader, regions.ToList()));
}

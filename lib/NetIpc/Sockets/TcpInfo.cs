using System.Runtime.InteropServices;
using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>
/// The few fields of the kernel's <c>struct tcp_info</c> (getsockopt TCP_INFO, include/uapi/linux/tcp.h) the
/// course reads: per-socket counts that, unlike /proc/net/snmp, no other socket in the namespace can move.
/// </summary>
/// <param name="SegmentsOut">tcpi_segs_out: every segment sent, pure ACKs and retransmissions included.</param>
/// <param name="NotSentBytes">tcpi_notsent_bytes: write_seq − snd_nxt, bytes written and never sent.</param>
/// <param name="DataSegmentsOut">tcpi_data_segs_out: segments that carried data, retransmissions included.</param>
/// <param name="TotalRetransmits">tcpi_total_retrans: segments sent again.</param>
public sealed record TcpInfo(uint SegmentsOut, uint NotSentBytes, uint DataSegmentsOut, uint TotalRetransmits)
{
    // Offsets in struct tcp_info: 8 bytes of u8 fields, then u32s from tcpi_rto (8) to tcpi_total_retrans (100),
    // four u64s (104–135), then tcpi_segs_out (136), tcpi_segs_in, tcpi_notsent_bytes (144), tcpi_min_rtt,
    // tcpi_data_segs_in, tcpi_data_segs_out (156). The struct only grows at its end, so these hold on every
    // kernel that returns at least 160 bytes (4.6 and later).
    private const int TotalRetransOffset = 100;
    private const int SegsOutOffset = 136;
    private const int NotSentOffset = 144;
    private const int DataSegsOutOffset = 156;
    public const int MinimumLength = 160;

    /// <summary>Decodes the bytes getsockopt(TCP_INFO) returned.</summary>
    public static TcpInfo Parse(ReadOnlySpan<byte> info)
    {
        if (info.Length < MinimumLength)
        {
            throw new ArgumentException($"TCP_INFO returned {info.Length} bytes; tcpi_data_segs_out needs {MinimumLength} (Linux 4.6 or later)", nameof(info));
        }
        // struct tcp_info is in the host's byte order: it never crosses a wire.
        return new TcpInfo(MemoryMarshal.Read<uint>(info[SegsOutOffset..]), MemoryMarshal.Read<uint>(info[NotSentOffset..]),
            MemoryMarshal.Read<uint>(info[DataSegsOutOffset..]), MemoryMarshal.Read<uint>(info[TotalRetransOffset..]));
    }

    /// <summary>getsockopt(IPPROTO_TCP, TCP_INFO) on a connected TCP socket.</summary>
    public static TcpInfo Of(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[256];
        int length = socket.GetRawSocketOption(6 /* IPPROTO_TCP */, 11 /* TCP_INFO */, buffer);
        return Parse(buffer[..length]);
    }
}

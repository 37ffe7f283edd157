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
        return new TcpInfo(U32(info, SegsOutOffset), U32(info, NotSentOffset), U32(info, DataSegsOutOffset), U32(info, TotalRetransOffset))
        {
            State = info[0],
            CaState = info[1],
            Retransmits = info[2],
            Probes = info[3],
            Backoff = info[4],
            RtoMicroseconds = U32(info, 8),
            SendMss = U32(info, 16),
            Unacked = U32(info, 24),
            Sacked = U32(info, 28),
            Lost = U32(info, 32),
            Retrans = U32(info, 36),
            RttMicroseconds = U32(info, 68),
            RttVarianceMicroseconds = U32(info, 72),
            SlowStartThreshold = U32(info, 76),
            CongestionWindow = U32(info, 80),
            LastAckReceivedMs = U32(info, 56),
        };
    }

    // The leading fields, at their offsets in struct tcp_info (u8s at 0–7, then u32s from 8). For a LISTEN socket
    // tcp_get_info fills only tcpi_state and two aliased fields, and returns: tcpi_unacked is the accept queue's
    // length (sk_ack_backlog), tcpi_sacked the backlog listen() was given (sk_max_ack_backlog).

    /// <summary>tcpi_state: the kernel's TCP state number (10 for LISTEN).</summary>
    public byte State { get; init; }

    /// <summary>tcpi_ca_state: the congestion-avoidance state (0 Open, 1 Disorder, 2 CWR, 3 Recovery, 4 Loss).</summary>
    public byte CaState { get; init; }

    /// <summary>tcpi_retransmits: icsk_retransmits, the retransmit timer's unanswered firings (/proc's retrnsmt column).</summary>
    public byte Retransmits { get; init; }

    /// <summary>tcpi_probes: icsk_probes_out, unanswered zero-window or keepalive probes (/proc's timeout column).</summary>
    public byte Probes { get; init; }

    /// <summary>tcpi_backoff: how many times the retransmission timeout was doubled.</summary>
    public byte Backoff { get; init; }

    /// <summary>tcpi_rto: the retransmission timeout, µs.</summary>
    public uint RtoMicroseconds { get; init; }

    /// <summary>tcpi_snd_mss: the largest segment payload the socket sends.</summary>
    public uint SendMss { get; init; }

    /// <summary>tcpi_unacked: segments in flight; for a listener, its accept queue's length (sk_ack_backlog).</summary>
    public uint Unacked { get; init; }

    /// <summary>tcpi_sacked: segments SACKed; for a listener, its backlog (sk_max_ack_backlog).</summary>
    public uint Sacked { get; init; }

    /// <summary>tcpi_lost: segments the sender believes lost.</summary>
    public uint Lost { get; init; }

    /// <summary>tcpi_retrans: segments retransmitted and not yet acknowledged.</summary>
    public uint Retrans { get; init; }

    /// <summary>tcpi_rtt: the smoothed round-trip time, µs.</summary>
    public uint RttMicroseconds { get; init; }

    /// <summary>tcpi_rttvar: the round-trip time's mean deviation, µs.</summary>
    public uint RttVarianceMicroseconds { get; init; }

    /// <summary>tcpi_snd_ssthresh: the slow-start threshold, segments (a huge number until the first loss).</summary>
    public uint SlowStartThreshold { get; init; }

    /// <summary>tcpi_snd_cwnd: the congestion window, segments.</summary>
    public uint CongestionWindow { get; init; }

    /// <summary>
    /// tcpi_last_ack_recv: milliseconds since the last ACK arrived (jiffies_to_msecs(now − rcv_tstamp)), so to a jiffy
    /// (1–10 ms, by CONFIG_HZ). The kernel stamped the arrival, so a late reader does not move it.
    /// </summary>
    public uint LastAckReceivedMs { get; init; }

    private static uint U32(ReadOnlySpan<byte> info, int offset) => MemoryMarshal.Read<uint>(info[offset..]);

    /// <summary>getsockopt(IPPROTO_TCP, TCP_INFO) on a connected TCP socket.</summary>
    public static TcpInfo Of(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[256];
        int length = socket.GetRawSocketOption(6 /* IPPROTO_TCP */, 11 /* TCP_INFO */, buffer);
        return Parse(buffer[..length]);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>
/// A resend of the client's SYN as the sampler saw it: the retransmit count went up between two reads of tcp_info,
/// at <see cref="NotBeforeMs"/> and <see cref="AtMs"/> after connect(); <see cref="RtoAfterMs"/> and
/// <see cref="BackoffAfter"/> are tcpi_rto and tcpi_backoff at the second read.
/// </summary>
public sealed record SynResendSeen(int Number, double NotBeforeMs, double AtMs, double RtoAfterMs, int BackoffAfter);

/// <summary>
/// What <see cref="Experiments.SynResends"/> measured: the sysctls that set the schedule (<see cref="LinearTimeouts"/>
/// is null on a kernel without tcp_syn_linear_timeouts), the timeout the first SYN went with, and each resend seen
/// while the client was watched for <see cref="WatchedMs"/>.
/// </summary>
public sealed record SynResendsResult(
    int? LinearTimeouts, int SynRetries, double InitialRtoMs, double WatchedMs, int QueuedAtListener, bool StillSynSent,
    IReadOnlyList<SynResendSeen> Resends)
{
    /// <summary>What the kernel's rule gives for these sysctls.</summary>
    public (IReadOnlyList<SynSend> Sends, TimeSpan GivesUpAt) Expected() => SynRetransmitSchedule.Expected(LinearTimeouts, SynRetries);
}

/// <summary>
/// A client whose SYN nobody answers: a listener with backlog 0 whose accept queue is already full (one finished
/// connection, never accepted) drops every SYN silently, so the client stays in SYN_SENT and resends on its timer.
/// Runs over loopback in the reader's own network namespace and needs no privilege.
/// </summary>
internal static class SynResendsExperiment
{
    /// <summary>tcpi_state of a socket in SYN_SENT (TCP_SYN_SENT, include/net/tcp_states.h).</summary>
    private const byte TcpSynSent = 2;

    /// <summary>
    /// Fills a backlog-0 listener's accept queue, connects one more client without blocking, and reads that client's
    /// tcp_info every 2 ms for <paramref name="watch"/>: tcpi_retransmits counts the resends, tcpi_rto and tcpi_backoff
    /// show the timeout armed after each. Everything opened is closed before it returns.
    /// </summary>
    public static SynResendsResult Run(TimeSpan watch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(watch, TimeSpan.FromSeconds(1.5));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(watch, TimeSpan.FromSeconds(30));
        int synRetries = Sysctl.ReadInt("net.ipv4.tcp_syn_retries")
            ?? throw new InvalidOperationException($"{Sysctl.PathOf("net.ipv4.tcp_syn_retries")} is missing: no TCP in this kernel?");
        int? linear = Sysctl.ReadInt("net.ipv4.tcp_syn_linear_timeouts");

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        first.Connect(listener.LocalEndPoint!);
        // tcp_info of a listener: tcpi_unacked is its accept queue. The handshake ends before connect() returns on
        // loopback, but the server's half may land a moment later.
        Poll.Until(TimeSpan.FromSeconds(2), "the first connection in the accept queue", () => TcpInfo.Of(listener).Unacked == 1,
            seen: () => $"{TcpInfo.Of(listener).Unacked} queued");
        int queued = (int)TcpInfo.Of(listener).Unacked;

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        var clock = Stopwatch.StartNew();
        try
        {
            client.Connect(listener.LocalEndPoint!);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // connect() has sent the SYN and returned; the handshake would go on in the kernel.
        }
        var info = TcpInfo.Of(client);
        double initialRto = info.RtoMicroseconds / 1000.0;
        var resends = new List<SynResendSeen>();
        double previousRead = clock.Elapsed.TotalMilliseconds;
        int seen = info.Retransmits;
        bool synSent = info.State == TcpSynSent;
        while (clock.Elapsed < watch && synSent)
        {
            Thread.Sleep(2);
            info = TcpInfo.Of(client);
            double now = clock.Elapsed.TotalMilliseconds;
            synSent = info.State == TcpSynSent;
            // A late read can miss a count between two reads only if resends came less than one read apart,
            // which a timeout of a second never does; each step is still recorded once per count.
            for (int n = seen + 1; n <= info.Retransmits; n++)
            {
                resends.Add(new SynResendSeen(n, previousRead, now, info.RtoMicroseconds / 1000.0, info.Backoff));
            }
            seen = info.Retransmits;
            previousRead = now;
        }
        double watched = clock.Elapsed.TotalMilliseconds;
        client.Abort();
        first.Abort();
        return new SynResendsResult(linear, synRetries, initialRto, watched, queued, synSent, resends);
    }
}

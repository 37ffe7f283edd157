using System.Diagnostics;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>
/// One sample of the buffers experiment. <paramref name="SenderTxQueue"/> is write_seq − snd_una, written and not
/// yet acknowledged, sent or not, and <paramref name="SenderNotSent"/> write_seq − snd_nxt, the part of it never
/// sent: read together, a few microseconds apart, with the SIOCOUTQ and SIOCOUTQNSD ioctls (<see cref="Sockets.SendQueue"/>;
/// older recordings: /proc's tx_queue and TCP_INFO's tcpi_notsent_bytes, a millisecond apart). The rest comes from
/// /proc/net/tcp, read right after: the receiver's rx_queue, the sender's timer, its tx_queue as /proc prints it
/// (<paramref name="ProcTxQueue"/>, the same number as SIOCOUTQ), its rto column (<paramref name="SenderRtoMs"/>) and the time
/// left on its timer (<paramref name="SenderTimerLeftMs"/>, in 10 ms steps). What the sample saw was true at some instant
/// between <paramref name="TimeMs"/> and <paramref name="ReadDoneMs"/>, when the /proc read had finished: a sampler
/// thread preempted in between widens that span, and the span says so (older recordings have no end).
/// </summary>
public sealed record BufferSample(double TimeMs, long Written, long ReceiverRxQueue, long SenderTxQueue, string SenderTimer, long SenderNotSent = 0,
    long? ProcTxQueue = null, double? SenderRtoMs = null, double? ReadDoneMs = null, double? SenderTimerLeftMs = null);

/// <summary>
/// What <see cref="Experiments.Buffers"/> measured: how much a writer could hand to the kernel before the
/// write blocked (or failed with EAGAIN), and where those bytes sat.
/// </summary>
public sealed record BuffersResult(
    int? RequestedReceiveBuffer, int ReceiveBuffer, int? RequestedSendBuffer, int SendBuffer, bool NonBlocking,
    long BytesAccepted, bool WriteBlocked, string? Errno, long PeakRxQueue, long PeakTxQueue, bool ZeroWindowProbeSeen,
    IReadOnlyList<BufferSample> Samples)
{
    /// <summary>The median gap between samples taken before <paramref name="untilMs"/> (the dense phase), or after it.</summary>
    public double MedianGapMs(double untilMs, bool before)
    {
        var gaps = Samples.Zip(Samples.Skip(1), (a, b) => (At: b.TimeMs, Gap: b.TimeMs - a.TimeMs))
            .Where(g => before ? g.At <= untilMs : g.At > untilMs).Select(g => g.Gap).ToList();
        return gaps.Count == 0 ? double.NaN : Stats.Median(gaps);
    }

    /// <summary>How often the sampler really looked, from the samples' own times.</summary>
    public string Sampling =>
        $"{Samples.Count} samples: {Samples.Count(s => s.TimeMs <= BuffersExperiment.DenseSampling.TotalMilliseconds)} in the first " +
        $"{BuffersExperiment.DenseSampling.TotalMilliseconds:0} ms, {MedianGapMs(BuffersExperiment.DenseSampling.TotalMilliseconds, true):0.0} ms apart (median), " +
        $"then {MedianGapMs(BuffersExperiment.DenseSampling.TotalMilliseconds, false):0.0} ms apart; the first at {Samples[0].TimeMs:0.0} ms";
}

/// <summary>A writer whose peer never reads: where the bytes wait, and how the write stops.</summary>
internal static class BuffersExperiment
{
    /// <summary>How long the sampler aims at one sample a millisecond; after it, one every 20 ms.</summary>
    internal static readonly TimeSpan DenseSampling = TimeSpan.FromMilliseconds(60);

    /// <summary>
    /// A connected pair on loopback; the receiver never reads; the sender writes 16 KB at a time for
    /// <paramref name="duration"/> while a sampler reads both sockets' queues and the sender's timer.
    /// Blocking, the writer ends up stuck in write(); non-blocking, write() fails with EAGAIN. Buffer
    /// sizes, when given, are set with SO_RCVBUF / SO_SNDBUF before connecting. Everything is closed
    /// (aborted) at the end, which also frees a blocked writer.
    /// </summary>
    public static BuffersResult Run(int? receiveBuffer, int? sendBuffer, bool nonBlocking, TimeSpan? duration)
    {
        var length = duration ?? TimeSpan.FromSeconds(1.5);
        // Owned from here on: anything below may throw (a negative size, a failed connect) before the abort at the end.
        using var connection = LoopbackTcp.Open(
            beforeListen: listener => { if (receiveBuffer is int rcv) listener.ReceiveBufferSize = rcv; },
            beforeConnect: sender => { if (sendBuffer is int snd) sender.SendBufferSize = snd; });
        var (sender, receiver) = (connection.Client, connection.Server);
        // What the kernel granted (getsockopt reports twice the requested value: the kernel doubles it for bookkeeping).
        int grantedReceive = receiver.ReceiveBufferSize;
        int grantedSend = sender.SendBufferSize;
        int senderPort = sender.LocalPort();
        int receiverPort = receiver.LocalPort();
        long written = 0;
        bool blocked = false;
        string? errno = null;
        // One read of each before the clock starts: the first /proc read and ioctl pay for JIT and file setup,
        // which would otherwise leave the densely sampled first milliseconds without a sample.
        _ = ProcNet.Self.Tcp();
        _ = SendQueue.Of(sender);
        var clock = Stopwatch.StartNew();
        var samples = new List<BufferSample>();
        var chunk = new byte[16 * 1024];
        var writer = new Thread(() =>
        {
            try
            {
                sender.Blocking = !nonBlocking;
                while (clock.Elapsed < length)
                {
                    int n = sender.Send(chunk);
                    Interlocked.Add(ref written, n);
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                errno = Native.Errno.Describe(e.NativeErrorCode);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // the abort below ended a write that was blocked
            }
        })
        { IsBackground = true, Name = "buffers writer" };
        writer.Start();
        try
        {
            var due = TimeSpan.Zero;
            while (clock.Elapsed < length)
            {
                double at = Math.Floor(clock.Elapsed.TotalMilliseconds * 10) / 10;
                // The two sender queues first and together; the table a moment later.
                var queue = SendQueue.Of(sender);
                long writtenNow = Interlocked.Read(ref written);
                TcpSocketEntry? s = null, r = null;
                double? rto = null;
                foreach (var (text, e) in TcpTable.ParseWithText(ProcNet.Self.Read("tcp")))
                {
                    if (e.Local.Port == senderPort && e.Remote.Port == receiverPort)
                    {
                        s = e;
                        var f = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        rto = f.Length >= 17 ? long.Parse(f[12], System.Globalization.CultureInfo.InvariantCulture) * 10.0 : null; // clock_t, USER_HZ = 100
                    }
                    else if (e.Local.Port == receiverPort && e.Remote.Port == senderPort)
                    {
                        r = e;
                    }
                }
                samples.Add(new BufferSample(at, writtenNow, (long)(r?.RxQueue ?? 0), queue.Unacknowledged, s?.Timer.ToString() ?? "gone", queue.NotSent,
                    (long?)s?.TxQueue, rto, Math.Ceiling(clock.Elapsed.TotalMilliseconds * 10) / 10, s?.TimerRemaining.TotalMilliseconds));
                // Everything of interest in the first tens of milliseconds — write() accepting megabytes, the
                // receiver's window closing — is over before a 20 ms sampler would look twice: one sample due
                // every millisecond there (no sooner than the last one took), every 20 ms after.
                due += clock.Elapsed < DenseSampling ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromMilliseconds(20);
                if (due < clock.Elapsed)
                {
                    due = clock.Elapsed;
                }
                while (clock.Elapsed < due)
                {
                    if (due - clock.Elapsed > TimeSpan.FromMilliseconds(2))
                    {
                        Thread.Sleep(1);
                    }
                    else
                    {
                        Thread.Yield();
                    }
                }
            }
            blocked = writer.IsAlive;
        }
        finally
        {
            sender.Abort();
            receiver.Abort();
            writer.Join(TimeSpan.FromSeconds(5));
        }
        return new BuffersResult(receiveBuffer, grantedReceive, sendBuffer, grantedSend, nonBlocking,
            Interlocked.Read(ref written), blocked, errno, samples.Max(x => x.ReceiverRxQueue), samples.Max(x => x.SenderTxQueue),
            samples.Any(x => x.SenderTimer == nameof(TcpTimer.ZeroWindowProbe)), samples);
    }
}

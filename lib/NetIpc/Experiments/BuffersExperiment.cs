using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Experiments;

/// <summary>
/// One sample of the buffers experiment. <paramref name="SenderTxQueue"/> is /proc/net/tcp's tx_queue,
/// write_seq − snd_una (get_tcp4_sock): written and not yet acknowledged, sent or not.
/// <paramref name="SenderNotSent"/> is TCP_INFO's tcpi_notsent_bytes, write_seq − snd_nxt: the part of it
/// never sent at all.
/// </summary>
public sealed record BufferSample(double TimeMs, long Written, long ReceiverRxQueue, long SenderTxQueue, string SenderTimer, long SenderNotSent = 0);

/// <summary>
/// What <see cref="Experiments.Buffers"/> measured: how much a writer could hand to the kernel before the
/// write blocked (or failed with EAGAIN), and where those bytes sat.
/// </summary>
public sealed record BuffersResult(
    int? RequestedReceiveBuffer, int ReceiveBuffer, int? RequestedSendBuffer, int SendBuffer, bool NonBlocking,
    long BytesAccepted, bool WriteBlocked, string? Errno, long PeakRxQueue, long PeakTxQueue, bool ZeroWindowProbeSeen,
    IReadOnlyList<BufferSample> Samples);

/// <summary>A writer whose peer never reads: where the bytes wait, and how the write stops.</summary>
internal static class BuffersExperiment
{
    private static readonly TimeSpan DenseSampling = TimeSpan.FromMilliseconds(60);

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
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (receiveBuffer is int rcv)
        {
            listener.ReceiveBufferSize = rcv; // inherited by the accepted socket, and it must be set before the handshake
        }
        listener.Listen(1);
        // Owned from here on: anything below may throw (a negative size, a failed connect) before the abort at the end.
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (sendBuffer is int snd)
        {
            sender.SendBufferSize = snd;
        }
        sender.Connect(listener.LocalEndPoint!);
        using var receiver = listener.Accept();
        // What the kernel granted (getsockopt reports twice the requested value: the kernel doubles it for bookkeeping).
        int grantedReceive = receiver.ReceiveBufferSize;
        int grantedSend = sender.SendBufferSize;
        int senderPort = ((IPEndPoint)sender.LocalEndPoint!).Port;
        int receiverPort = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        long written = 0;
        bool blocked = false;
        string? errno = null;
        // One read of each before the clock starts: the first /proc read and TCP_INFO call pay for JIT and file
        // setup, which would otherwise leave the densely sampled first milliseconds without a sample.
        _ = ProcNet.Self.Tcp();
        _ = TcpInfo.Of(sender);
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
            while (clock.Elapsed < length)
            {
                var table = ProcNet.Self.Tcp();
                var s = table.FirstOrDefault(e => e.Local.Port == senderPort && e.Remote.Port == receiverPort);
                var r = table.FirstOrDefault(e => e.Local.Port == receiverPort && e.Remote.Port == senderPort);
                long notSent = TcpInfo.Of(sender).NotSentBytes;
                samples.Add(new BufferSample(Math.Round(clock.Elapsed.TotalMilliseconds, 1), Interlocked.Read(ref written),
                    (long)(r?.RxQueue ?? 0), (long)(s?.TxQueue ?? 0), s?.Timer.ToString() ?? "gone", notSent));
                // Everything of interest in the first tens of milliseconds — write() accepting megabytes, the
                // receiver's window closing — is over before a 20 ms sampler would look twice.
                Thread.Sleep(clock.Elapsed < DenseSampling ? 1 : 20);
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

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Isolation;
using NetIpc.Native;
using NetIpc.Namespaces;
using NetIpc.Packets;
using NetIpc.Sockets;

namespace NetIpc.Hosts;

/// <summary>One system call as it returned, on one side, <see cref="Microseconds"/> after the trace began.</summary>
public sealed record FlowCall(double Microseconds, string Side, string Call);

/// <summary>One TCP segment as it arrived, captured on loopback: who sent it, its flags as tcpdump prints them, its payload.</summary>
public sealed record FlowSegment(double Microseconds, string From, string Flags, int Payload);

/// <summary>The seed's flow, traced: the calls of both sides and the segments between them, in one clock.</summary>
public sealed record SeedFlowTrace(int ServerPort, int ClientPort, IReadOnlyList<FlowCall> Calls, IReadOnlyList<FlowSegment> Segments);

/// <summary>
/// The seed's client and server (socket → bind → listen → accept → read → write → read → close, and
/// socket → connect → write → read → close) in a network namespace of their own, each call timed as it
/// returns, while a packet socket on loopback timestamps every segment as it arrives — the material of the
/// seed's call-flow figure, measured. The client closes first, and the server closes when read() says end of
/// file, as the seed's server does.
/// </summary>
internal static class SeedFlowTraceExperiment
{
    public static readonly IsolatedExperiment<string, SeedFlowTrace> Trace = new(
        "seed-flow-trace", "05", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.PacketSocket],
        message => NetworkNamespace.Run((_, cancel) => TraceHere(message, cancel)));

    private static SeedFlowTrace TraceHere(string message, CancellationToken cancel)
    {
        NetworkNamespace.BringLoopbackUp();
        // One clock for both: the calls read CLOCK_REALTIME as they return, and the kernel stamps each captured
        // frame with CLOCK_REALTIME as it arrives (SIOCGSTAMPNS) — not when the capture thread gets round to it.
        static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10.0;
        var calls = new ConcurrentQueue<FlowCall>();
        void Called(string side, string call) => calls.Enqueue(new FlowCall(Now(), side, call));

        using var owned = new OwnedSockets(cancel);
        var capture = owned.Track(new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)ByteOrder.Htons(SocketOptions.EthPAll)));
        // Loopback shows each frame twice (leaving, arriving): keep the arrivals, the moment the peer has it.
        capture.SetRawSocketOption(SocketOptions.SolPacket, SocketOptions.PacketIgnoreOutgoing, BitConverter.GetBytes(1));
        capture.ReceiveTimeout = 200;
        StampingOn(capture, Now);
        var frames = new ConcurrentQueue<(double Microseconds, byte[] Frame)>();
        Exception? captureFailed = null;
        using var stop = new CancellationTokenSource();
        var capturing = new Thread(() =>
        {
            var buffer = new byte[65536];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    int n = capture.Receive(buffer);
                    if (LibC.IoctlTimespec(Descriptor.Of(capture), LibC.SiocGStampNs, out var stamp) != 0)
                        throw new IOException($"SIOCGSTAMPNS failed: {Errno.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
                    frames.Enqueue((stamp.Seconds * 1e6 + stamp.Nanoseconds / 1e3, buffer[..n]));
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
                {
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (Exception e)
                {
                    captureFailed = e; // reported by the experiment's thread, not left to end the process
                    return;
                }
            }
        }) { IsBackground = true, Name = "seed flow capture" };
        capturing.Start();

        var listener = owned.Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified));
        Called("server", "socket()");
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = listener.LocalPort();
        Called("server", "bind()");
        listener.Listen(5);
        Called("server", "listen()");
        // A thread of its own, not Task.Run: pool work queued from inside a namespace can start pool threads there (NamespaceThreads).
        Exception? serverFailed = null;
        var server = new Thread(() =>
        {
            try
            {
                using var connection = listener.Accept();
                connection.ReceiveTimeout = 5000;
                Called("server", "accept() = new fd");
                var buffer = new byte[256];
                int n = connection.Receive(buffer);
                Called("server", $"read() = {n}");
                connection.Send(buffer.AsSpan(0, n));
                Called("server", $"write() = {n}");
                int end = connection.Receive(buffer);
                Called("server", $"read() = {end}");
                connection.Close();
                Called("server", "close()");
            }
            catch (Exception e)
            {
                serverFailed = e; // reported by the experiment's thread
            }
        }) { IsBackground = true, Name = "seed flow server" };
        server.Start();

        using (var client = owned.Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 5000 }))
        {
            Called("client", "socket()");
            client.Connect(listener.LocalEndPoint!);
            Called("client", "connect() = 0");
            byte[] bytes = Encoding.ASCII.GetBytes(message);
            client.Send(bytes);
            Called("client", $"write() = {bytes.Length}");
            int n = client.Receive(new byte[256]);
            Called("client", $"read() = {n}");
            int clientPort = client.LocalPort();
            client.Close();
            Called("client", "close()");
            if (!server.Join(TimeSpan.FromSeconds(5))) throw new TimeoutException("the server side did not finish within 5 s");
            if (serverFailed is not null) throw new IOException($"the server side failed: {serverFailed.Message}", serverFailed);
            Thread.Sleep(100); // the last ACK
            stop.Cancel();
            capturing.Join(TimeSpan.FromSeconds(2));
            if (captureFailed is not null) throw new IOException($"the capture failed: {captureFailed.Message}", captureFailed);

            var segments = new List<FlowSegment>();
            foreach (var (us, frame) in frames)
            {
                if (FrameDissector.TakeApart(0, frame) is { Tcp: { } tcp } f
                    && (tcp.SourcePort, tcp.DestinationPort) is var (from, to)
                    && ((from == clientPort && to == port) || (from == port && to == clientPort)))
                {
                    segments.Add(new FlowSegment(us, from == port ? "server" : "client", FlagsText(tcp.Flags), f.PayloadLength));
                }
            }
            // Time 0 is the server's socket(): the namespace and the capture before it are not the seed's flow.
            double start = calls.Min(c => c.Microseconds);
            return new SeedFlowTrace(port, clientPort,
                [.. calls.OrderBy(c => c.Microseconds).Select(c => c with { Microseconds = c.Microseconds - start })],
                [.. segments.Where(x => x.Microseconds >= start).Select(x => x with { Microseconds = x.Microseconds - start })]);
        }
    }

    /// <summary>
    /// Turns arrival stamps on and waits until they are real. The first SIOCGSTAMPNS asks for them
    /// (sock_enable_timestamp), but the kernel switches the system-wide stamping on from a workqueue
    /// (net_enable_timestamp → netstamp_work); until then a frame arrives unstamped and SIOCGSTAMPNS answers
    /// with the time of the ioctl itself. So: send a datagram over loopback until its frame carries a stamp
    /// from before the capture read it (at most 1 s).
    /// </summary>
    private static void StampingOn(Socket capture, Func<double> now)
    {
        LibC.IoctlTimespec(Descriptor.Of(capture), LibC.SiocGStampNs, out _); // ENOENT: nothing read yet
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var discard = new IPEndPoint(IPAddress.Loopback, 9);
        var buffer = new byte[65536];
        for (int attempt = 0; attempt < 100; attempt++)
        {
            probe.SendTo("stamp?"u8, discard);
            double sent = now();
            try
            {
                capture.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            Thread.Sleep(2); // a late stamp would be the ioctl's own time, at least this much after the send
            if (LibC.IoctlTimespec(Descriptor.Of(capture), LibC.SiocGStampNs, out var stamp) == 0 && stamp.Seconds * 1e6 + stamp.Nanoseconds / 1e3 <= sent + 1000)
            {
                while (true)
                {
                    // Drain the probes' other frames (an ICMP port unreachable answers each) before the flow begins.
                    try { capture.Receive(buffer); } catch (SocketException) { return; }
                }
            }
            Thread.Sleep(10);
        }
        throw new TimeoutException("the kernel did not stamp captured frames within 1 s (SIOCGSTAMPNS kept answering the time of the call)");
    }

    /// <summary>"SYN", "SYN-ACK", "ACK", "PSH-ACK", "FIN-ACK", "RST": the usual names.</summary>
    internal static string FlagsText(TcpFlags flags)
    {
        var names = new List<string>();
        if (flags.HasFlag(TcpFlags.Syn)) names.Add("SYN");
        if (flags.HasFlag(TcpFlags.Fin)) names.Add("FIN");
        if (flags.HasFlag(TcpFlags.Rst)) names.Add("RST");
        if (flags.HasFlag(TcpFlags.Psh)) names.Add("PSH");
        if (flags.HasFlag(TcpFlags.Ack)) names.Add("ACK");
        return string.Join("-", names);
    }
}

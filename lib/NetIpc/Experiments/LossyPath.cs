using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetIpc.Namespaces;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Experiments;

/// <summary>What crossed the lossy path: UDP's datagrams and TCP's stream, and the counters that show why.</summary>
public sealed record LossyPathResult(
    double LossPercent, int RelayedFrames, int DroppedFrames,
    int UdpSent, int UdpReceived, bool UdpInOrder,
    int TcpBytesSent, int TcpBytesReceived, bool TcpIntact, long TcpRetransSegs, long MaxRetrnsmtSeen,
    double ReorderPercent = 0, int ReorderedFrames = 0, int UdpOutOfOrder = 0);

public static partial class Experiments
{
    private const int SolPacket = 263;
    private const int PacketIgnoreOutgoing = 23;

    private static void Resolve(NamespaceHost from, Socket peerSocket, string fromAddress, string peerAddress)
    {
        using (peerSocket)
        {
            using var probe = from.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
            Poll.Until(TimeSpan.FromSeconds(3), $"{fromAddress} to learn the link address of {peerAddress} through the relay", () =>
            {
                if (from.Net.Arp().Any(e => e.Address.ToString() == peerAddress && e.IsComplete))
                {
                    return true;
                }
                probe.SendTo("arp?"u8, new IPEndPoint(IPAddress.Parse(peerAddress), 9)); // port 9: discard
                return false;
            }, every: TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Datagrams that arrived after one with a higher number.</summary>
    public static int OutOfOrder(IReadOnlyList<int> arrivals)
    {
        int count = 0, highest = -1;
        foreach (int n in arrivals)
        {
            if (n < highest)
            {
                count++;
            }
            highest = Math.Max(highest, n);
        }
        return count;
    }

    /// <summary>Numbered UDP datagrams over loopback, paced so none is dropped: how many arrive out of order (none: loopback is one queue).</summary>
    public static int LoopbackOutOfOrder(int datagrams = 1000)
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Connect(receiver.LocalEndPoint!);
        var buffer = new byte[64];
        var arrivals = new List<int>();
        for (int i = 0; i < datagrams; i++)
        {
            BitConverter.TryWriteBytes(buffer, i);
            sender.Send(buffer);
            while (receiver.Available > 0)
            {
                receiver.Receive(buffer);
                arrivals.Add(BitConverter.ToInt32(buffer));
            }
        }
        Thread.Sleep(20);
        while (receiver.Available > 0)
        {
            receiver.Receive(buffer);
            arrivals.Add(BitConverter.ToInt32(buffer));
        }
        return OutOfOrder(arrivals);
    }

    /// <summary>
    /// A veth hands frames over with the TCP/UDP checksum left to "hardware" (chapter 04's offload): only the
    /// pseudo-header part is filled in. A frame re-sent through a packet socket is checked as it is, so the
    /// relay finishes the checksum, as a network card would.
    /// </summary>
    private static void FinishChecksum(Span<byte> packet)
    {
        var ip = Packets.Ipv4Header.Parse(packet);
        var segment = packet[ip.HeaderLength..Math.Min(packet.Length, ip.TotalLength)];
        int field = ip.Protocol switch
        {
            ProtocolType.Tcp => 16,
            ProtocolType.Udp => 6,
            _ => -1,
        };
        if (field < 0 || segment.Length < field + 2)
        {
            return;
        }
        segment[field] = 0;
        segment[field + 1] = 0;
        ushort checksum = Packets.InternetChecksum.Transport(ip.Source, ip.Destination, ip.Protocol, segment);
        if (ip.Protocol == ProtocolType.Udp && checksum == 0)
        {
            checksum = 0xFFFF;
        }
        segment[field] = (byte)(checksum >> 8);
        segment[field + 1] = (byte)checksum;
    }

    /// <summary>
    /// Two hosts joined through a third namespace, where a user-space relay copies Ethernet frames between
    /// two veth cables with AF_PACKET sockets and drops <paramref name="lossPercent"/>% of the IPv4 ones at
    /// random (ARP always passes). No netem, no nftables: the loss happens to real packets, so TCP sees it
    /// and retransmits, while UDP just loses. Everything disappears on return.
    /// </summary>
    public static LossyPathResult LossyPath(double lossPercent = 10, int datagrams = 300, int tcpBytes = 200_000, int seed = 1, double reorderPercent = 0) =>
        LossyPathRun.Run((lossPercent, datagrams, tcpBytes, seed, reorderPercent));

    public static readonly IsolatedExperiment<(double LossPercent, int Datagrams, int TcpBytes, int Seed, double ReorderPercent), LossyPathResult> LossyPathRun = new(
        "lossy-path", "10", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair, Capability.PacketSocket],
        a => LossyPathHere(a.LossPercent, a.Datagrams, a.TcpBytes, a.Seed, a.ReorderPercent));

    private static LossyPathResult LossyPathHere(double lossPercent, int datagrams, int tcpBytes, int seed, double reorderPercent)
    {
        using var a = new NamespaceHost("host A");
        using var b = new NamespaceHost("host B");
        using var relayHost = new NamespaceHost("lossy wire");
        relayHost.Ip($"link add wire-a type veth peer name eth-a netns {a.ThreadId}");
        relayHost.Ip($"link add wire-b type veth peer name eth-b netns {b.ThreadId}");
        relayHost.Ip("link set wire-a up");
        relayHost.Ip("link set wire-b up");
        // One segment per frame: otherwise the hosts hand the wire 64 KB "super-frames" (GSO) that a
        // packet socket cannot send on as they are.
        a.Ip("link set dev eth-a gso_max_segs 1");
        b.Ip("link set dev eth-b gso_max_segs 1");
        a.Ip("addr add 10.13.0.1/24 dev eth-a");
        a.Ip("link set eth-a up");
        b.Ip("addr add 10.13.0.2/24 dev eth-b");
        b.Ip("link set eth-b up");

        int IndexOf(NamespaceHost host, string device) =>
            int.Parse(Regex.Match(host.IpOutput($"-o link show dev {device}"), @"^(\d+):").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Socket Tap(string device)
        {
            int index = IndexOf(relayHost, device);
            return relayHost.Run(() =>
            {
                var s = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)ByteOrder.Htons(0x0003));
                s.SetRawSocketOption(SolPacket, PacketIgnoreOutgoing, BitConverter.GetBytes(1));
                s.ForceReceiveBuffer(8 << 20); // room for a burst, so the relay loses only what it decides to lose
                s.Bind(new PacketEndPoint(index));
                s.ReceiveTimeout = 200;
                return s;
            });
        }
        using var tapA = Tap("wire-a");
        using var tapB = Tap("wire-b");
        var random = new Random(seed);
        int relayed = 0, dropped = 0, reordered = 0;
        using var stop = new CancellationTokenSource();
        Thread Forward(Socket from, Socket to) => new(() =>
        {
            var frame = new byte[65536];
            byte[]? held = null; // a frame kept back to be sent after the next one: reordering
            while (!stop.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = from.Receive(frame);
                }
                catch (SocketException)
                {
                    continue; // the 200 ms receive timeout: look at the stop flag again
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                bool ipv4 = n >= 14 && frame[12] == 0x08 && frame[13] == 0x00;
                bool drop, hold;
                lock (random)
                {
                    drop = ipv4 && random.NextDouble() * 100 < lossPercent;
                    hold = ipv4 && !drop && held is null && random.NextDouble() * 100 < reorderPercent;
                }
                if (drop)
                {
                    Interlocked.Increment(ref dropped);
                    continue;
                }
                if (ipv4)
                {
                    FinishChecksum(frame.AsSpan(14, n - 14));
                }
                if (hold)
                {
                    held = frame.AsSpan(0, n).ToArray();
                    continue;
                }
                try
                {
                    to.Send(frame.AsSpan(0, n));
                    Interlocked.Increment(ref relayed);
                    if (held is not null)
                    {
                        to.Send(held);
                        held = null;
                        Interlocked.Increment(ref relayed);
                        Interlocked.Increment(ref reordered);
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    Interlocked.Increment(ref dropped); // a frame the wire cannot carry is lost, like any other
                }
            }
        })
        { IsBackground = true, Name = "lossy wire" };
        var forwards = new[] { Forward(tapA, tapB), Forward(tapB, tapA) };
        foreach (var t in forwards)
        {
            t.Start();
        }
        try
        {
            // Resolve each host's neighbour first: packets sent while ARP is pending wait in a small
            // queue whose overflow would be loss the wire did not cause.
            Resolve(a, b.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)), "10.13.0.1", "10.13.0.2");
            Resolve(b, a.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)), "10.13.0.2", "10.13.0.1");

            // UDP: numbered datagrams, paced so that only the wire, not a buffer, can lose them.
            using var udpIn = b.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
            udpIn.ForceReceiveBuffer(8 << 20); // the receiver's buffer must not be what loses
            udpIn.Bind(new IPEndPoint(IPAddress.Parse("10.13.0.2"), 9502));
            using var udpOut = a.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
            var numbered = new byte[64];
            for (int i = 0; i < datagrams; i++)
            {
                BitConverter.TryWriteBytes(numbered, i);
                udpOut.SendTo(numbered, new IPEndPoint(IPAddress.Parse("10.13.0.2"), 9502));
                if (i % 10 == 9)
                {
                    Thread.Sleep(1);
                }
            }
            Thread.Sleep(300);
            var arrived = new List<int>();
            udpIn.Blocking = false;
            while (udpIn.Available > 0)
            {
                udpIn.Receive(numbered);
                arrived.Add(BitConverter.ToInt32(numbered));
            }

            if (arrived.Count == 0)
            {
                throw new InvalidOperationException($"nothing crossed the relay: {relayed} frames relayed, {dropped} dropped");
            }

            // TCP: a stream of known bytes through the same wire.
            var before = a.Net.Counters(); // the sender retransmits
            using var listener = b.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            listener.Bind(new IPEndPoint(IPAddress.Parse("10.13.0.2"), 9503));
            listener.Listen(1);
            using var sender = a.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            // Bounded: a wire that passes nothing must not hang the experiment for the kernel's two minutes.
            sender.ConnectAsync(new IPEndPoint(IPAddress.Parse("10.13.0.2"), 9503)).WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            using var receiver = listener.Accept();
            receiver.ReceiveTimeout = 30_000;
            var payload = Enumerable.Range(0, tcpBytes).Select(i => (byte)(i * 7)).ToArray();
            long maxRetrnsmt = 0;
            var watcher = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var e in a.Net.Tcp().Where(e => e.Remote.Port == 9503))
                    {
                        maxRetrnsmt = Math.Max(maxRetrnsmt, (long)e.Retransmits);
                    }
                    Thread.Sleep(2);
                }
            })
            { IsBackground = true };
            watcher.Start();
            var sending = Task.Run(() =>
            {
                sender.Send(payload);
                sender.Shutdown(SocketShutdown.Send);
            });
            var got = new MemoryStream();
            var buffer = new byte[65536];
            int r;
            while ((r = receiver.Receive(buffer)) > 0)
            {
                got.Write(buffer, 0, r);
            }
            if (!sending.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"gave up waiting 30 s for the sender to hand all {tcpBytes} bytes to its TCP socket");
            }
            var after = a.Net.Counters();
            stop.Cancel();
            watcher.Join();
            long retrans = after["Tcp.RetransSegs"] - before["Tcp.RetransSegs"];
            // The chapter's point is that TCP repairs what the wire breaks; a stream that arrived damaged
            // must stop the chapter, not show up as a "NO" in a table.
            bool intact = got.ToArray().AsSpan().SequenceEqual(payload);
            new[]
            {
                new ProofCheck("TCP delivered every byte, in order, across the lossy wire", intact,
                    $"{got.Length} of {tcpBytes} bytes arrived{(got.Length == tcpBytes && !intact ? ", not the bytes sent" : "")}"),
            }.RequireAll();
            return new LossyPathResult(lossPercent, relayed, dropped, datagrams, arrived.Count,
                arrived.SequenceEqual(arrived.Order()), tcpBytes, (int)got.Length, intact, retrans, maxRetrnsmt,
                reorderPercent, reordered, OutOfOrder(arrived));
        }
        finally
        {
            stop.Cancel();
            foreach (var t in forwards)
            {
                t.Join(TimeSpan.FromSeconds(2));
            }
        }
    }
}

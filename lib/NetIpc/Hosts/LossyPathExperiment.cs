using System.Net;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Sockets;
using NetIpc.Udp;

namespace NetIpc.Hosts;

/// <summary>What crossed the lossy path: UDP's datagrams and TCP's stream, and the counters that show why.</summary>
public sealed record LossyPathResult(
    double LossPercent, int RelayedFrames, int DroppedFrames,
    int UdpSent, int UdpReceived, bool UdpInOrder,
    int TcpBytesSent, int TcpBytesReceived, bool TcpIntact, long TcpRetransSegs, long MaxRetrnsmtSeen,
    IReadOnlyDictionary<string, long> TcpRecovery, int AcksDropped,
    double ReorderPercent = 0, int ReorderedFrames = 0, int UdpOutOfOrder = 0)
{
    // AcksDropped: frames the relay dropped on their way back from the TCP receiver to the sender during the
    // TCP transfer — its ACKs (and the SACK blocks in them).

    /// <summary>
    /// The sender's TcpExt counters that say how its retransmissions were triggered, as they moved during the
    /// TCP transfer (its namespace has no other traffic): <see cref="LossyPathExperiment.RecoveryCounters"/>.
    /// </summary>
    public long Recovery(string counter) => TcpRecovery.TryGetValue(counter, out long v) ? v : 0;
}

/// <summary>
/// Two hosts joined through a third namespace where a <see cref="PacketRelay"/> loses (and reorders) frames:
/// what UDP and TCP make of the same lossy wire.
/// </summary>
internal static class LossyPathExperiment
{
    /// <summary>
    /// How Linux repairs loss, counter by counter: TCPLossProbes are tail-loss probes (TLP; one that sends new data
    /// instead of resending is not in RetransSegs), TCPFastRetrans retransmissions marked lost by RACK (the only loss
    /// detection for SACK connections since 4.18) outside the Loss state, TCPSlowStartRetrans the ones sent in the
    /// Loss state after a timer expiry (tcp_xmit_retransmit_queue picks between the two), TCPTimeouts
    /// retransmission-timer expiries (the only kind the retrnsmt column counts), TCPDSACKRecv
    /// the receiver's reports of a segment it got twice (a retransmission that was not needed), and
    /// TCPSACKReorder what tcp_check_sack_reordering counts: a never-resent segment found to have arrived below
    /// the highest one already SACKed.
    /// </summary>
    public static readonly string[] RecoveryCounters =
        ["TcpExt.TCPLossProbes", "TcpExt.TCPFastRetrans", "TcpExt.TCPSlowStartRetrans", "TcpExt.TCPTimeouts", "TcpExt.TCPDSACKRecv", "TcpExt.TCPSACKReorder"];

    // Packets sent while ARP is pending wait in a small queue whose overflow would be loss the wire did
    // not cause: each host learns its neighbour's link address through the relay before anything is measured.
    private static void LearnNeighbourThroughRelay(NamespaceHost from, Socket peerSocket, string fromAddress, string peerAddress)
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

    /// <summary>
    /// Two hosts joined through a third namespace, where a user-space relay copies Ethernet frames between
    /// two veth cables with AF_PACKET sockets and drops <paramref name="lossPercent"/>% of the IPv4 ones at
    /// random (ARP always passes). No netem, no nftables: the loss happens to real packets, so TCP sees it
    /// and retransmits, while UDP just loses. Everything disappears on return.
    /// </summary>
    public static LossyPathResult Run(double lossPercent, int datagrams, int tcpBytes, int seed, double reorderPercent) =>
        LossyPathRun.Run((lossPercent, datagrams, tcpBytes, seed, reorderPercent));

    public static readonly IsolatedExperiment<(double LossPercent, int Datagrams, int TcpBytes, int Seed, double ReorderPercent), LossyPathResult> LossyPathRun = new(
        "lossy-path", "10", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair, Capability.PacketSocket],
        a => SendAcrossLossyWire(a.LossPercent, a.Datagrams, a.TcpBytes, a.Seed, a.ReorderPercent));

    private static LossyPathResult SendAcrossLossyWire(double lossPercent, int datagrams, int tcpBytes, int seed, double reorderPercent)
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

        using var relay = PacketRelay.Start(relayHost, "wire-a", "wire-b", lossPercent, reorderPercent, seed);
        using var watching = new CancellationTokenSource();
        try
        {
            LearnNeighbourThroughRelay(a, b.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)), "10.13.0.1", "10.13.0.2");
            LearnNeighbourThroughRelay(b, a.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)), "10.13.0.2", "10.13.0.1");

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
                throw new InvalidOperationException($"nothing crossed the relay: {relay.Relayed} frames relayed, {relay.Dropped} dropped");
            }

            // TCP: a stream of known bytes through the same wire.
            var before = a.Net.Counters(); // the sender retransmits
            int acksDroppedBefore = relay.DroppedTowardA; // host B's frames to host A: the receiver's ACKs
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
                while (!watching.IsCancellationRequested)
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
            int acksDropped = relay.DroppedTowardA - acksDroppedBefore;
            watching.Cancel();
            watcher.Join();
            long retrans = after["Tcp.RetransSegs"] - before["Tcp.RetransSegs"];
            var recovery = RecoveryCounters.Where(after.ContainsKey).ToDictionary(c => c, c => after[c] - before[c]);
            // The chapter's point is that TCP repairs what the wire breaks; a stream that arrived damaged
            // must stop the chapter, not show up as a "NO" in a table.
            bool intact = got.ToArray().AsSpan().SequenceEqual(payload);
            var result = new LossyPathResult(lossPercent, relay.Relayed, relay.Dropped, datagrams, arrived.Count,
                arrived.SequenceEqual(arrived.Order()), tcpBytes, (int)got.Length, intact, retrans, maxRetrnsmt,
                recovery, acksDropped, reorderPercent, relay.Reordered, DatagramOrderExperiment.OutOfOrder(arrived));
            result.DeliveryChecks().RequireAll();
            return result;
        }
        finally
        {
            watching.Cancel(); // the watcher stops with the experiment, also when it failed
        }
    }
}

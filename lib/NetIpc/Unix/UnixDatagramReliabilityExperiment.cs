using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Sockets;
using NetIpc.Udp;

namespace NetIpc.Unix;

/// <summary>The same burst of datagrams into a UNIX datagram socket and into UDP.</summary>
/// <remarks>
/// Two different limits stop a UNIX datagram sender. A socketpair's ends are each other's peers, and
/// unix_dgram_sendmsg skips the receive-queue test for a receiver whose peer is the sender
/// (<c>unix_peer(other) != sk &amp;&amp; unix_recvq_full_lockless(other)</c>): only the sender's own send
/// buffer (<paramref name="UnixSendBuffer"/>, charged each datagram's whole sk_buff until it is read) stops
/// it. A named receiver reached by an unconnected sender has a queue limit of its own:
/// net.unix.max_dgram_qlen (<paramref name="MaxDgramQlen"/>), full when the queue is longer than it.
/// The UDP row's receive buffer is given the same budget as the UNIX sender's send buffer.
/// </remarks>
public sealed record UnixReliabilityResult(int Burst, int UnixSentBeforeEagain, int UnixReceived, bool UnixInOrder, int UdpReceived, long UdpDrops,
    int UnixSendBuffer = 0, int MaxDgramQlen = 0, int NamedReceiverQueuedBeforeEagain = 0, int UdpReceiveBuffer = 0);

/// <summary>A burst of numbered datagrams into a UNIX datagram socket whose reader starts late, and the same into UDP.</summary>
internal static class UnixDatagramReliabilityExperiment
{
    /// <summary>
    /// <paramref name="burst"/> numbered datagrams into a UNIX datagram socket whose reader starts late,
    /// with a non-blocking sender that waits and retries whenever the kernel says EAGAIN; then the same
    /// burst into UDP (chapter 10), for comparison.
    /// </summary>
    public static UnixReliabilityResult Run(int burst)
    {
        var (sender, receiver) = SocketPair.Create(SocketType.Dgram);
        int sendBuffer = sender.SendBufferSize;
        using (sender)
        using (receiver)
        {
            sender.Blocking = false;
            var received = new List<int>();
            int firstEagain = -1;
            var buffer = new byte[512];
            for (int i = 0; i < burst; i++)
            {
                BitConverter.TryWriteBytes(buffer, i);
                while (true)
                {
                    try
                    {
                        sender.Send(buffer);
                        break;
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                    {
                        if (firstEagain < 0)
                        {
                            firstEagain = i;
                        }
                        // The reader wakes up only now: it drains what is queued, and the sender retries.
                        DatagramOrderExperiment.ReceiveQueuedNumbers(receiver, new byte[512], received);
                    }
                }
            }
            DatagramOrderExperiment.ReceiveQueuedNumbers(receiver, new byte[512], received);
            bool inOrder = received.SequenceEqual(Enumerable.Range(0, received.Count));
            // The table says "none lost" and the chapter builds on it: a kernel that lost or reordered one stops here.
            new[]
            {
                new ProofCheck("a UNIX datagram socket loses nothing: every datagram sent arrived", received.Count == burst,
                    $"{received.Count} of {burst} arrived"),
                new ProofCheck("… in the order sent", inOrder,
                    inOrder ? "in order" : $"first out of place: #{received.Where((n, i) => n != i).First()}"),
            }.RequireAll();
            // SO_RCVBUF is doubled by the kernel: asking for half the UNIX sender's budget grants the same budget.
            var udp = UdpDropsExperiment.Run([burst], [sendBuffer / 2], datagramSize: 512).Bursts[0];
            return new UnixReliabilityResult(burst, firstEagain < 0 ? burst : firstEagain, received.Count,
                inOrder, udp.Received, udp.DropsColumn, sendBuffer, ReadMaxDgramQlen(), NamedReceiverQueue(), udp.ReceiveBuffer);
        }
    }

    private static int ReadMaxDgramQlen() => Sysctl.ReadRequiredInt("net.unix.max_dgram_qlen");

    /// <summary>
    /// A receiver bound to a path that never reads, and an unconnected, non-blocking sender: how many 512-byte
    /// datagrams the kernel queues before sendto() says EAGAIN.
    /// </summary>
    private static int NamedReceiverQueue()
    {
        string folder = Directory.CreateTempSubdirectory("netipc-dgram-").FullName;
        try
        {
            var path = new UnixDomainSocketEndPoint(Path.Combine(folder, "receiver.sock"));
            using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            receiver.Bind(path);
            using var sender = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
            var datagram = new byte[512];
            for (int queued = 0; queued < 10_000; queued++)
            {
                try
                {
                    sender.SendTo(datagram, path);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    return queued;
                }
            }
            throw new InvalidOperationException("10,000 datagrams into a receiver that never reads, and sendto() never said EAGAIN");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

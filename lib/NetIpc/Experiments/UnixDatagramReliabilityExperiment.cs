using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Experiments;

/// <summary>The same burst of datagrams into a UNIX datagram socket and into UDP.</summary>
public sealed record UnixReliabilityResult(int Burst, int UnixSentBeforeEagain, int UnixReceived, bool UnixInOrder, int UdpReceived, long UdpDrops);

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
            var udp = UdpDropsExperiment.Run([burst], [65536], datagramSize: 512).Bursts[0];
            return new UnixReliabilityResult(burst, firstEagain < 0 ? burst : firstEagain, received.Count,
                inOrder, udp.Received, udp.DropsColumn);
        }
    }
}

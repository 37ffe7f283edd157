using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Harness;
using NetIpc.Sockets;

namespace NetIpc.Udp;

/// <summary>What one read returned: its bytes as text, and whether the kernel said it cut a datagram short.</summary>
public sealed record ReadResult(string Protocol, int Call, string Text, int Bytes, bool Truncated);

/// <summary>
/// What <see cref="Experiments.Boundaries"/> saw: the same three messages over TCP and UDP, and a truncated
/// datagram. <paramref name="TcpDataSegments"/> is how many data segments the TCP sender put on the wire for
/// the three writes (TCP_INFO's tcpi_data_segs_out, this socket only).
/// </summary>
public sealed record BoundariesResult(IReadOnlyList<string> Sent, IReadOnlyList<ReadResult> Reads, int TcpDataSegments = 0);

/// <summary>Message boundaries: kept by UDP, not by TCP, and cut by a buffer too small for a datagram.</summary>
internal static class BoundariesExperiment
{
    /// <summary>
    /// Three writes of "one", "two", "three" over a TCP connection and over UDP, read only once all have
    /// arrived; then a 100-byte datagram read into a 10-byte buffer, followed by a read of the next datagram.
    /// </summary>
    public static BoundariesResult Run()
    {
        string[] messages = ["one", "two", "three"];
        var reads = new List<ReadResult>();
        int tcpSegments;

        using (var connection = LoopbackTcp.Open(beforeConnect: c => c.NoDelay = true))
        {
            var (client, server) = (connection.Client, connection.Server);
            uint segmentsBefore = TcpInfo.Of(client).DataSegmentsOut;
            foreach (var m in messages)
            {
                // Nagle is off, but autocorking may still hold a small write back and merge it with the next:
                // how many segments left is counted, not assumed.
                client.Send(Encoding.ASCII.GetBytes(m));
            }
            Poll.Until(TimeSpan.FromSeconds(2), "the three TCP messages to arrive", () => server.Available == messages.Sum(m => m.Length));
            tcpSegments = (int)(TcpInfo.Of(client).DataSegmentsOut - segmentsBefore);
            var buffer = new byte[1024];
            for (int call = 1; server.Available > 0; call++)
            {
                int n = server.Receive(buffer);
                reads.Add(new ReadResult("TCP", call, Encoding.ASCII.GetString(buffer, 0, n), n, false));
            }
        }

        using (var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        using (var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            sender.Connect(receiver.LocalEndPoint!);
            foreach (var m in messages)
            {
                sender.Send(Encoding.ASCII.GetBytes(m));
            }
            sender.Send(Encoding.ASCII.GetBytes(new string('x', 90) + "0123456789"));
            sender.Send("next"u8);
            Poll.Until(TimeSpan.FromSeconds(2), "the datagrams to arrive", () => receiver.Available > 0);
            Thread.Sleep(20); // loopback delivers within the sendto() call; this is only a margin
            for (int call = 1; call <= 3; call++)
            {
                reads.Add(ReceiveDatagram(receiver, 1024, call));
            }
            reads.Add(ReceiveDatagram(receiver, 10, 4) with { Protocol = "UDP, 10-byte buffer" });
            reads.Add(ReceiveDatagram(receiver, 1024, 5));
        }
        return new BoundariesResult(messages, reads, tcpSegments);
    }

    private static ReadResult ReceiveDatagram(Socket receiver, int bufferSize, int call)
    {
        var buffer = new byte[bufferSize];
        var flags = SocketFlags.None;
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int n = receiver.ReceiveMessageFrom(buffer, 0, buffer.Length, ref flags, ref from, out _);
        return new ReadResult("UDP", call, Encoding.ASCII.GetString(buffer, 0, n), n, flags.HasFlag(SocketFlags.Truncated));
    }
}

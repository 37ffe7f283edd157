using System.Net;
using System.Net.Sockets;

namespace NetIpc.Udp;

/// <summary>Numbered datagrams and the order they arrived in.</summary>
internal static class DatagramOrderExperiment
{
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
    public static int OverLoopback(int datagrams)
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
            ReceiveQueuedNumbers(receiver, buffer, arrivals);
        }
        Thread.Sleep(20);
        ReceiveQueuedNumbers(receiver, buffer, arrivals);
        return OutOfOrder(arrivals);
    }

    /// <summary>Reads every datagram already queued on <paramref name="receiver"/> and adds the number each starts with.</summary>
    internal static void ReceiveQueuedNumbers(Socket receiver, byte[] buffer, List<int> numbers)
    {
        while (receiver.Available > 0)
        {
            receiver.Receive(buffer);
            numbers.Add(BitConverter.ToInt32(buffer));
        }
    }
}

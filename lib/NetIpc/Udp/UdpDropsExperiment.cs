using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Udp;

/// <summary>One burst of the UDP drop experiment.</summary>
public sealed record UdpBurst(int ReceiveBuffer, int Sent, int Received, long DropsColumn, long RcvbufErrors);

public sealed record UdpDropsResult(int DatagramSize, IReadOnlyList<UdpBurst> Bursts);

/// <summary>Bursts of UDP datagrams into receivers that read only afterwards: what a full receive buffer drops.</summary>
internal static class UdpDropsExperiment
{
    /// <summary>
    /// For each receive buffer size and burst size: a fresh receiver that reads only after the burst,
    /// the datagrams it could read, its drops column and how far Udp.RcvbufErrors moved.
    /// </summary>
    public static UdpDropsResult Run(int[] bursts, int[] receiveBuffers, int datagramSize)
    {
        var results = new List<UdpBurst>();
        foreach (int rcvbuf in receiveBuffers)
        {
            foreach (int burst in bursts)
            {
                using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = rcvbuf };
                receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sender.Connect(receiver.LocalEndPoint!);
                int port = receiver.LocalPort();
                var before = ProcNet.Self.Snmp();
                var payload = new byte[datagramSize];
                for (int i = 0; i < burst; i++)
                {
                    sender.Send(payload);
                }
                Thread.Sleep(20); // loopback delivers synchronously; this only lets the last one land
                long drops = (long)(ProcNet.Self.Udp().FirstOrDefault(e => e.Local.Port == port)?.Drops ?? 0);
                long rcvbufErrors = before.DeltaTo(ProcNet.Self.Snmp())["Udp.RcvbufErrors"];
                receiver.Blocking = false;
                int received = 0;
                var buffer = new byte[datagramSize];
                while (receiver.Available > 0)
                {
                    receiver.Receive(buffer);
                    received++;
                }
                results.Add(new UdpBurst(receiver.ReceiveBufferSize, burst, received, drops, rcvbufErrors));
            }
        }
        return new UdpDropsResult(datagramSize, results);
    }
}

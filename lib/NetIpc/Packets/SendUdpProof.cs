using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Namespaces;

namespace NetIpc.Packets;

/// <summary>Chapter 04's send path over UDP: a datagram built in an SkBuff, delivered; a copy with one checksum bit wrong, dropped and counted.</summary>
internal static class SendUdpProof
{
    /// <summary>
    /// Builds a UDP datagram in an SkBuff, sends it through a raw socket to an ordinary UDP socket,
    /// then sends a copy with one checksum bit wrong: the kernel must deliver the first and count the second
    /// as Udp.InCsumErrors.
    /// </summary>
    public static SendPathResult Run(string message) => SendUdpRun.Run(message);

    public static readonly IsolatedExperiment<string, SendPathResult> SendUdpRun = new(
        "send-udp", "04", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.RawSocket], SendBuiltDatagramHere);

    private static SendPathResult SendBuiltDatagramHere(string message)
    {
        return NetworkNamespace.Run((net, _) =>
        {
            NetworkNamespace.BringLoopbackUp();
            using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
            receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
            var source = new IPEndPoint(IPAddress.Loopback, 40000);
            var destination = (IPEndPoint)receiver.LocalEndPoint!;

            var skb = PacketBuilder.Udp(source, destination, Encoding.ASCII.GetBytes(message));
            raw.SendTo(skb.Packet, new IPEndPoint(destination.Address, 0));
            Poll.Until(TimeSpan.FromSeconds(1), "the datagram built in the SkBuff to reach the UDP socket", () => receiver.Available > 0);
            var buffer = new byte[2048];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int n = receiver.ReceiveFrom(buffer, ref from);
            string received = Encoding.ASCII.GetString(buffer, 0, n);

            var before = net.Snmp();
            var corrupted = PacketBuilder.Udp(source, destination, Encoding.ASCII.GetBytes(message));
            corrupted.From(corrupted.TransportHeader, "transport header")[7] ^= 0x01;
            raw.SendTo(corrupted.Packet, new IPEndPoint(destination.Address, 0));
            bool corruptedArrived = receiver.Poll(300_000, SelectMode.SelectRead);
            long csumErrors = before.DeltaTo(net.Snmp())["Udp.InCsumErrors"];

            return new SendPathResult(skb.Packet.ToArray(), new ProofCheck[]
            {
                new("the kernel delivered the datagram built in the SkBuff", received == message, $"the UDP socket read \"{received}\""),
                new("the sender is the source written into the headers", from.Equals(source), $"recvfrom() says it came from {from}"),
                new("a datagram whose checksum is off by one bit is dropped", !corruptedArrived, corruptedArrived ? "it was delivered" : "nothing arrived within 300 ms"),
                new("… and counted by the kernel as a checksum error", csumErrors == 1, $"Udp.InCsumErrors moved by {csumErrors}"),
            }.RequireAll());
        });
    }
}

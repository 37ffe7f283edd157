using System.Net;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Proc;

namespace NetIpc.Packets;

/// <summary>Chapter 04's send path over TCP: a SYN built in an SkBuff, shown by the listener's table as a half-open connection.</summary>
internal static class SendSynProof
{
    /// <summary>
    /// Sends a SYN built in an SkBuff from 192.0.2.7 (an address nobody has) to a listener: the
    /// listener's table shows the half-open connection in SYN_RECV, its SYN-ACK retransmit timer running.
    /// </summary>
    public static SendPathResult Run() => SendSynRun.Run(1000);

    public static readonly IsolatedExperiment<uint, SendPathResult> SendSynRun = new(
        "send-syn", "04", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.RawSocket], SendBuiltSynHere);

    private static SendPathResult SendBuiltSynHere(uint sequenceNumber)
    {
        return NetworkNamespace.Run((net, _) =>
        {
            NetworkNamespace.BringLoopbackUp();
            // Without a route back the kernel drops the SYN (it cannot answer); through loopback the SYN-ACK
            // goes nowhere — no host has 192.0.2.7 — so the request stays half-open.
            NetworkNamespace.Ip("route add 192.0.2.0/24 dev lo");
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(8);
            using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
            var source = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000);
            var skb = PacketBuilder.TcpSyn(source, (IPEndPoint)listener.LocalEndPoint!, sequenceNumber);
            raw.SendTo(skb.Packet, new IPEndPoint(IPAddress.Loopback, 0));

            TcpSocketEntry? halfOpen = null;
            Poll.Until(TimeSpan.FromSeconds(2), $"a SYN_RECV line from {source} in the listener's /proc/net/tcp",
                () => (halfOpen = net.Tcp().FirstOrDefault(e => e.State == KernelTcpState.SynRecv && e.Remote.Equals(source))) is not null);
            return new SendPathResult(skb.Packet.ToArray(), new ProofCheck[]
            {
                new("the listener's table shows the SYN as a half-open connection", true,
                    $"SYN_RECV {halfOpen!.Local} ← {halfOpen.Remote}, inode {halfOpen.Inode}"),
                new("… waiting for an ACK that will never come: its SYN-ACK retransmit timer runs", halfOpen.Timer == TcpTimer.Retransmit,
                    $"timer {halfOpen.Timer}, {halfOpen.TimerRemaining.TotalSeconds:0.##} s left"),
            }.RequireAll());
        });
    }
}

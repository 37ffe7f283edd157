using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Namespaces;
using NetIpc.Native;
using NetIpc.Packets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Experiments;

/// <summary>What the receive-path experiment captured and what it checked.</summary>
public sealed record ReceivePathResult(int ServerPort, int ClientPort, int UdpPort, int BytesSent, IReadOnlyList<CapturedFrame> Frames, IReadOnlyList<ProofCheck> Checks)
{
    /// <summary>"live: …" or "RECORDED …": where the frames came from.</summary>
    public string Source { get; init; } = "live: captured just now on this machine's loopback, in a network namespace of the experiment's own";

    /// <summary>The captured frames as text (one hex line each), what data/packets/loopback-capture.txt holds.</summary>
    public string ToRecording() =>
        $"# server {ServerPort} client {ClientPort} udp {UdpPort} bytes {BytesSent}\n"
        + string.Concat(Frames.Select(f => Convert.ToHexString(f.Skb.Buffer) + "\n"));
}

/// <summary>What the send-path experiments built, sent and saw delivered.</summary>
public sealed record SendPathResult(byte[] Packet, IReadOnlyList<ProofCheck> Checks)
{
    /// <summary>The packet that was sent, taken apart again: IPv4 header, then the transport header behind it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Ipv4Header Ip => Ipv4Header.Parse(Packet);
}

/// <summary>
/// Chapter 04's two proofs that the sk_buff model and the header types match the kernel. Each runs on
/// a thread in a network namespace of its own (root only), so it sees and sends nothing but its own
/// loopback traffic, and everything it opened is gone when it returns.
/// </summary>
public static class SkBuffProofs
{
    /// <summary>What the recorded capture is, for the label a chapter shows above it.</summary>
    public const string RecordedCaptureLabel = "RECORDED, not this machine: frames captured on Linux 6.18 (data/packets/loopback-capture.txt), taken apart here by the same code";

    /// <summary>
    /// Captures every frame on loopback with an AF_PACKET socket while a TCP connection is made and
    /// <paramref name="message"/> sent over it, and one UDP datagram is sent; then pulls each frame apart.
    /// </summary>
    public static ReceivePathResult ReceivePath(string message = "hello") => FromCapture(ReceivePathCapture.Run(message));

    /// <summary>
    /// The capture itself, as the text data/packets/loopback-capture.txt holds (a header line, then one hex
    /// frame per line): what crosses from a child process, and what is taken apart on this side.
    /// </summary>
    public static readonly IsolatedExperiment<string, string> ReceivePathCapture = new(
        "receive-path", "04", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.PacketSocket],
        message => CaptureHere(message).ToRecording());

    private static ReceivePathResult CaptureHere(string message)
    {
        return NetworkNamespace.Run(_ =>
        {
            NetworkNamespace.BringLoopbackUp();
            using var capture = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)ByteOrder.Htons(SocketOptions.EthPAll));
            // Loopback hands every frame to packet sockets twice (leaving and arriving); keep the arrivals.
            capture.SetRawSocketOption(SocketOptions.SolPacket, SocketOptions.PacketIgnoreOutgoing, BitConverter.GetBytes(1));
            capture.ReceiveTimeout = 300;

            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            using var server = listener.Accept();
            byte[] bytes = Encoding.ASCII.GetBytes(message);
            client.Send(bytes);
            server.ReceiveExactly(new byte[bytes.Length]);

            using var udpReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udpReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            using var udpSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udpSender.SendTo(Encoding.ASCII.GetBytes("datagram"), udpReceiver.LocalEndPoint!);
            udpReceiver.Receive(new byte[64]);

            int serverPort = Port(listener), clientPort = Port(client), udpPort = Port(udpReceiver);
            var frames = new List<CapturedFrame>();
            var buffer = new byte[65536];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTime.UtcNow < deadline)
            {
                int n;
                try
                {
                    n = capture.Receive(buffer);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
                {
                    // The line has been quiet for 300 ms: everything was captured. Not a wait for a state,
                    // so nothing to time out; a frame that never came fails its check below instead.
                    break;
                }
                if (FrameDissector.TakeApart(frames.Count + 1, buffer.AsSpan(0, n)) is { } frame)
                {
                    frames.Add(frame);
                }
            }
            return new ReceivePathResult(serverPort, clientPort, udpPort, bytes.Length, frames,
                ProveReceivePath(frames, serverPort, clientPort, udpPort, bytes.Length));
        });
    }

    /// <summary>
    /// The frames of data/packets/loopback-capture.txt, taken apart by the same code: what a reader
    /// without root sees, labelled as recorded.
    /// </summary>
    public static ReceivePathResult RecordedReceivePath() =>
        FromCapture(Recordings.ReadText("packets/loopback-capture.txt"), "data/packets/loopback-capture.txt") with { Source = RecordedCaptureLabel };

    /// <summary>Takes a capture's text apart (see <see cref="ReceivePathCapture"/>) and proves the claims on its frames.</summary>
    public static ReceivePathResult FromCapture(string capture, string where = "the capture")
    {
        var lines = capture.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ports = lines.Length == 0 ? [] : lines[0].Split(' ');
        if (ports.Length != 9 || ports[0] != "#")
        {
            throw new FormatException($"{where}, line 1: expected '# server N client N udp N bytes N'");
        }
        int server = int.Parse(ports[2]), client = int.Parse(ports[4]), udp = int.Parse(ports[6]), bytes = int.Parse(ports[8]);
        var frames = lines.Skip(1).Where(l => !l.StartsWith('#'))
            .Select((hex, i) => FrameDissector.TakeApart(i + 1, Convert.FromHexString(hex))).OfType<CapturedFrame>().ToList();
        return new ReceivePathResult(server, client, udp, bytes, frames, ProveReceivePath(frames, server, client, udp, bytes));
    }

    /// <summary>
    /// Builds a UDP datagram in an SkBuff, sends it through a raw socket to an ordinary UDP socket,
    /// then sends a copy with one checksum bit wrong: the kernel must deliver the first and count the second
    /// as Udp.InCsumErrors.
    /// </summary>
    public static SendPathResult SendUdp(string message = "hello from an sk_buff") => SendUdpRun.Run(message);

    public static readonly IsolatedExperiment<string, SendPathResult> SendUdpRun = new(
        "send-udp", "04", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.RawSocket], SendUdpHere);

    private static SendPathResult SendUdpHere(string message)
    {
        return NetworkNamespace.Run(net =>
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

    /// <summary>
    /// Sends a SYN built in an SkBuff from 192.0.2.7 (an address nobody has) to a listener: the
    /// listener's table shows the half-open connection in SYN_RECV, its SYN-ACK retransmit timer running.
    /// </summary>
    public static SendPathResult SendSyn() => SendSynRun.Run(1000);

    public static readonly IsolatedExperiment<uint, SendPathResult> SendSynRun = new(
        "send-syn", "04", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.RawSocket], SendSynHere);

    private static SendPathResult SendSynHere(uint sequenceNumber)
    {
        return NetworkNamespace.Run(net =>
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
                () => (halfOpen = net.Tcp().FirstOrDefault(e => e.State == TcpState.SynRecv && e.Remote.Equals(source))) is not null);
            return new SendPathResult(skb.Packet.ToArray(), new ProofCheck[]
            {
                new("the listener's table shows the SYN as a half-open connection", true,
                    $"SYN_RECV {halfOpen!.Local} ← {halfOpen.Remote}, inode {halfOpen.Inode}"),
                new("… waiting for an ACK that will never come: its SYN-ACK retransmit timer runs", halfOpen.Timer == TcpTimer.Retransmit,
                    $"timer {halfOpen.Timer}, {halfOpen.TimerRemaining.TotalSeconds:0.##} s left"),
            }.RequireAll());
        });
    }

    /// <summary>The receive path in reverse order of the send path: see <see cref="FrameDissector.TakeApart"/>.</summary>
    public static CapturedFrame? TakeApart(int number, ReadOnlySpan<byte> frame) => FrameDissector.TakeApart(number, frame);

    /// <summary>The receive path's claims about the captured frames; throws when a frame is missing or says otherwise.</summary>
    internal static IReadOnlyList<ProofCheck> ProveReceivePath(IReadOnlyList<CapturedFrame> frames, int serverPort, int clientPort, int udpPort, int bytesSent)
    {
        var tcp = frames.Where(f => f.Tcp is not null && (f.Tcp.SourcePort == clientPort || f.Tcp.DestinationPort == clientPort)).ToList();
        var syn = tcp.FirstOrDefault(f => f.Tcp!.Flags == TcpFlags.Syn);
        var synAck = tcp.FirstOrDefault(f => f.Tcp!.Flags == (TcpFlags.Syn | TcpFlags.Ack));
        var ack = syn is null ? null : tcp.FirstOrDefault(f => f.Tcp!.Flags == TcpFlags.Ack && f.Tcp.SourcePort == clientPort && f.PayloadLength == 0);
        var data = tcp.FirstOrDefault(f => f.PayloadLength > 0 && f.Tcp!.SourcePort == clientPort);
        var udp = frames.FirstOrDefault(f => f.Udp?.DestinationPort == udpPort);
        return new ProofCheck[]
        {
            new("the first segment is a SYN from the client's port to the server's", syn is not null && syn.Tcp!.DestinationPort == serverPort && tcp.IndexOf(syn) == 0,
                syn?.Summary ?? "no SYN captured"),
            new("the server answers SYN-ACK, acknowledging the SYN's sequence number + 1", synAck is not null && syn is not null && synAck.Tcp!.AcknowledgmentNumber == syn.Tcp!.SequenceNumber + 1,
                synAck?.Summary ?? "no SYN-ACK captured"),
            new("the client's ACK acknowledges the SYN-ACK's sequence number + 1", ack is not null && synAck is not null && ack.Tcp!.AcknowledgmentNumber == synAck.Tcp!.SequenceNumber + 1,
                ack?.Summary ?? "no ACK captured"),
            new($"the {bytesSent} bytes the client sent travel in one segment starting at sequence number SYN + 1",
                data is not null && syn is not null && data.PayloadLength == bytesSent && data.Tcp!.SequenceNumber == syn.Tcp!.SequenceNumber + 1,
                data is null ? "no data segment from the client captured" : $"{data.Summary}, {data.PayloadLength} payload bytes"),
            new("the SYN and SYN-ACK announce an MSS (loopback's MTU 65536 − 40 = 65495)", syn?.Tcp?.Mss == 65495 && synAck?.Tcp?.Mss == 65495,
                $"SYN MSS {syn?.Tcp?.Mss}, SYN-ACK MSS {synAck?.Tcp?.Mss}"),
            new("the UDP datagram's header says 8 + 8 bytes to the receiver's port", udp is not null && udp.Udp!.Length == 16,
                udp?.Summary ?? "no datagram captured"),
            new("every IPv4 header checksum is valid", frames.All(f => f.Ip.ChecksumIsValid()),
                $"{frames.Count} frames checked, {frames.Count(f => !f.Ip.ChecksumIsValid())} invalid"),
        }.RequireAll();
    }

    private static int Port(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;
}

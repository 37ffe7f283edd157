using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Native;
using NetIpc.Sockets;

namespace NetIpc.Packets;

/// <summary>
/// Chapter 04's receive path: every frame on loopback captured with an AF_PACKET socket, taken apart by
/// <see cref="FrameDissector"/>, and the claims about them checked. The capture travels as text (the format
/// of data/packets/loopback-capture.txt), so a recorded capture is taken apart by the same code.
/// </summary>
internal static class ReceivePathProof
{
    /// <summary>
    /// The capture itself, as the text data/packets/loopback-capture.txt holds (a header line, then one hex
    /// frame per line): what crosses from a child process, and what is taken apart on this side.
    /// </summary>
    public static readonly IsolatedExperiment<string, string> ReceivePathCapture = new(
        "receive-path", "04", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.PacketSocket],
        message => CaptureHere(message).ToRecording());

    private static ReceivePathResult CaptureHere(string message)
    {
        return NetworkNamespace.Run((_, _) =>
        {
            NetworkNamespace.BringLoopbackUp();
            using var capture = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)ByteOrder.Htons(SocketOptions.EthPAll));
            // Loopback hands every frame to packet sockets twice (leaving and arriving); keep the arrivals.
            capture.SetRawSocketOption(SocketOptions.SolPacket, SocketOptions.PacketIgnoreOutgoing, BitConverter.GetBytes(1));
            capture.ReceiveTimeout = 300;

            using var connection = LoopbackTcp.Open();
            var (client, server) = (connection.Client, connection.Server);
            byte[] bytes = Encoding.ASCII.GetBytes(message);
            client.Send(bytes);
            server.ReceiveExactly(new byte[bytes.Length]);

            using var udpReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udpReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            using var udpSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udpSender.SendTo(Encoding.ASCII.GetBytes("datagram"), udpReceiver.LocalEndPoint!);
            udpReceiver.Receive(new byte[64]);

            int serverPort = connection.ServerPort, clientPort = connection.ClientPort, udpPort = LocalPort(udpReceiver);
            // The MTU of the route the SYN took, which is what ipv4_default_advmss starts from.
            var mtuBytes = new byte[sizeof(int)];
            client.GetRawSocketOption(SocketOptions.SolIp, SocketOptions.IpMtu, mtuBytes);
            int loopbackMtu = BitConverter.ToInt32(mtuBytes);
            // And the device's own MTU, from inside this namespace (not /sys/class/net: sysfs shows the namespace it was mounted in).
            int deviceMtu = int.Parse(System.Text.RegularExpressions.Regex.Match(NetworkNamespace.IpOutput("-o link show lo"), @"\bmtu (\d+)").Groups[1].Value,
                System.Globalization.CultureInfo.InvariantCulture);
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
                ProveReceivePath(frames, serverPort, clientPort, udpPort, bytes.Length, loopbackMtu, deviceMtu)) { LoopbackMtu = loopbackMtu, LoopbackDeviceMtu = deviceMtu };
        });
    }

    /// <summary>
    /// The frames of data/packets/loopback-capture.txt, taken apart by the same code: what a reader
    /// without root sees, labelled as recorded.
    /// </summary>
    public static ReceivePathResult Recorded() =>
        FromCapture(Recordings.ReadText("packets/loopback-capture.txt"), "data/packets/loopback-capture.txt") with { Source = SkBuffProofs.RecordedCaptureLabel };

    /// <summary>Takes a capture's text apart (see <see cref="ReceivePathCapture"/>) and proves the claims on its frames.</summary>
    public static ReceivePathResult FromCapture(string capture, string where)
    {
        var lines = capture.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ports = lines.Length == 0 ? [] : lines[0].Split(' ');
        if (ports.Length is not (9 or 11 or 13) || ports[0] != "#" || (ports.Length >= 11 && ports[9] != "mtu") || (ports.Length == 13 && ports[11] != "devmtu"))
        {
            throw new FormatException($"{where}, line 1: expected '# server N client N udp N bytes N' and optionally ' mtu N', then ' devmtu N'");
        }
        int server = int.Parse(ports[2]), client = int.Parse(ports[4]), udp = int.Parse(ports[6]), bytes = int.Parse(ports[8]);
        int? mtu = ports.Length >= 11 ? int.Parse(ports[10]) : null;
        int? deviceMtu = ports.Length == 13 ? int.Parse(ports[12]) : null;
        var frames = lines.Skip(1).Where(l => !l.StartsWith('#'))
            .Select((hex, i) => FrameDissector.TakeApart(i + 1, Convert.FromHexString(hex))).OfType<CapturedFrame>().ToList();
        return new ReceivePathResult(server, client, udp, bytes, frames, ProveReceivePath(frames, server, client, udp, bytes, mtu, deviceMtu))
            { LoopbackMtu = mtu, LoopbackDeviceMtu = deviceMtu };
    }

    /// <summary>The receive path's claims about the captured frames; throws when a frame is missing or says otherwise.</summary>
    internal static IReadOnlyList<ProofCheck> ProveReceivePath(IReadOnlyList<CapturedFrame> frames, int serverPort, int clientPort, int udpPort, int bytesSent, int? loopbackMtu = null,
        int? deviceMtu = null)
    {
        // A capture that did not record the MTU was taken in a fresh namespace, whose lo has the kernel's
        // default MTU (drivers/net/loopback.c: 64 KiB); the label says which of the two it is.
        int mtu = loopbackMtu ?? LoopbackDefaultMtu;
        int mss = TcpMss.Ipv4DefaultAdvMss(mtu);
        string mtuSource = loopbackMtu is null ? "loopback's default MTU, not recorded with this capture" : "loopback's MTU, read with IP_MTU";
        var tcp = frames.Where(f => f.Tcp is not null && (f.Tcp.SourcePort == clientPort || f.Tcp.DestinationPort == clientPort)).ToList();
        var syn = tcp.FirstOrDefault(f => f.Tcp!.Flags == TcpFlags.Syn);
        var synAck = tcp.FirstOrDefault(f => f.Tcp!.Flags == (TcpFlags.Syn | TcpFlags.Ack));
        var ack = syn is null ? null : tcp.FirstOrDefault(f => f.Tcp!.Flags == TcpFlags.Ack && f.Tcp.SourcePort == clientPort && f.PayloadLength == 0);
        var data = tcp.FirstOrDefault(f => f.PayloadLength > 0 && f.Tcp!.SourcePort == clientPort);
        var udp = frames.FirstOrDefault(f => f.Udp?.DestinationPort == udpPort);
        var checks = new List<ProofCheck>();
        if (deviceMtu is int device && loopbackMtu is int route)
        {
            // ipv4_mtu (net/ipv4/route.c) starts from the device's MTU and caps it at IP_MAX_MTU.
            checks.Add(new($"loopback's device MTU here is {device} (ip link show lo, in the capture's namespace); its route's MTU, what IP_MTU reports, is min({device}, IP_MAX_MTU {TcpMss.Ipv4MaxPmtu}) (ipv4_mtu)",
                route == Math.Min(device, TcpMss.Ipv4MaxPmtu), $"device MTU {device}, IP_MTU {route}"));
        }
        checks.AddRange(new ProofCheck[]
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
            new($"the SYN and SYN-ACK announce MSS {mss} = {TcpMss.Explain(mtu)} ({mtuSource}; ipv4_default_advmss)", syn?.Tcp?.Mss == mss && synAck?.Tcp?.Mss == mss,
                $"SYN MSS {syn?.Tcp?.Mss}, SYN-ACK MSS {synAck?.Tcp?.Mss}"),
            new("the UDP datagram's header says 8 + 8 bytes to the receiver's port", udp is not null && udp.Udp!.Length == 16,
                udp?.Summary ?? "no datagram captured"),
            new("every IPv4 header checksum is valid", frames.All(f => f.Ip.ChecksumIsValid()),
                $"{frames.Count} frames checked, {frames.Count(f => !f.Ip.ChecksumIsValid())} invalid"),
        });
        return checks.RequireAll();
    }

    /// <summary>The MTU the kernel gives a new namespace's lo (drivers/net/loopback.c: dev->mtu = 64 * 1024).</summary>
    public const int LoopbackDefaultMtu = 64 * 1024;

    private static int LocalPort(Socket s) => s.LocalPort();
}

using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetIpc.Namespaces;
using NetIpc.Native;
using NetIpc.Packets;
using NetIpc.Sockets;

namespace NetIpc.Hosts;

/// <summary>
/// A user-space wire: two AF_PACKET sockets on two veth ends in <c>relayHost</c>'s namespace and one
/// thread per direction copying Ethernet frames across, dropping <c>lossPercent</c>% of the IPv4 ones and
/// holding back <c>reorderPercent</c>% to send after the next (ARP always passes, in order). Dispose stops
/// both threads and closes both sockets.
/// </summary>
internal sealed class PacketRelay : IDisposable
{
    private readonly Socket tapA;
    private readonly Socket tapB;
    private readonly Random random;
    private readonly double lossPercent;
    private readonly double reorderPercent;
    private readonly CancellationTokenSource stop = new();
    private readonly Thread[] forwards;
    private int relayed, dropped, reordered, droppedTowardA;

    private PacketRelay(NamespaceHost relayHost, string deviceA, string deviceB, double lossPercent, double reorderPercent, int seed)
    {
        this.lossPercent = lossPercent;
        this.reorderPercent = reorderPercent;
        tapA = OpenTap(relayHost, deviceA);
        tapB = OpenTap(relayHost, deviceB);
        random = new Random(seed);
        forwards = [ForwardingThread(tapA, tapB, towardA: false), ForwardingThread(tapB, tapA, towardA: true)];
    }

    /// <summary>Frames sent on, held-back ones included.</summary>
    public int Relayed => Volatile.Read(ref relayed);

    /// <summary>Frames dropped on purpose, and frames the other end could not take.</summary>
    public int Dropped => Volatile.Read(ref dropped);

    /// <summary>Frames sent after the one that came behind them.</summary>
    public int Reordered => Volatile.Read(ref reordered);

    /// <summary>Of <see cref="Dropped"/>, the frames that were on their way from device B to device A.</summary>
    public int DroppedTowardA => Volatile.Read(ref droppedTowardA);

    /// <summary>Opens both ends and starts relaying.</summary>
    public static PacketRelay Start(NamespaceHost relayHost, string deviceA, string deviceB, double lossPercent, double reorderPercent, int seed)
    {
        var relay = new PacketRelay(relayHost, deviceA, deviceB, lossPercent, reorderPercent, seed);
        foreach (var t in relay.forwards)
        {
            t.Start();
        }
        return relay;
    }

    public void Dispose()
    {
        stop.Cancel();
        foreach (var t in forwards)
        {
            t.Join(TimeSpan.FromSeconds(2));
        }
        stop.Dispose();
        tapB.Dispose();
        tapA.Dispose();
    }

    private static int InterfaceIndex(NamespaceHost host, string device) =>
        int.Parse(Regex.Match(host.IpOutput($"-o link show dev {device}"), @"^(\d+):").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static Socket OpenTap(NamespaceHost relayHost, string device)
    {
        int index = InterfaceIndex(relayHost, device);
        return relayHost.Run(() =>
        {
            var s = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)ByteOrder.Htons(SocketOptions.EthPAll));
            s.SetRawSocketOption(SocketOptions.SolPacket, SocketOptions.PacketIgnoreOutgoing, BitConverter.GetBytes(1));
            s.ForceReceiveBuffer(8 << 20); // room for a burst, so the relay loses only what it decides to lose
            s.Bind(new PacketEndPoint(index));
            s.ReceiveTimeout = 200;
            return s;
        });
    }

    private Thread ForwardingThread(Socket from, Socket to, bool towardA) => new(() =>
    {
        var frame = new byte[65536];
        byte[]? held = null; // a frame kept back to be sent after the next one: reordering
        while (!stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = from.Receive(frame);
            }
            catch (SocketException)
            {
                continue; // the 200 ms receive timeout: look at the stop flag again
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            bool ipv4 = n >= EthernetHeader.Length && System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) == EthernetHeader.IPv4;
            bool drop, hold;
            lock (random)
            {
                drop = ipv4 && random.NextDouble() * 100 < lossPercent;
                hold = ipv4 && !drop && held is null && random.NextDouble() * 100 < reorderPercent;
            }
            if (drop)
            {
                Interlocked.Increment(ref dropped);
                if (towardA)
                {
                    Interlocked.Increment(ref droppedTowardA);
                }
                continue;
            }
            if (ipv4)
            {
                FinishChecksum(frame.AsSpan(EthernetHeader.Length, n - EthernetHeader.Length));
            }
            if (hold)
            {
                held = frame.AsSpan(0, n).ToArray();
                continue;
            }
            try
            {
                to.Send(frame.AsSpan(0, n));
                Interlocked.Increment(ref relayed);
                if (held is not null)
                {
                    to.Send(held);
                    held = null;
                    Interlocked.Increment(ref relayed);
                    Interlocked.Increment(ref reordered);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Interlocked.Increment(ref dropped); // a frame the wire cannot carry is lost, like any other
                if (towardA)
                {
                    Interlocked.Increment(ref droppedTowardA);
                }
            }
        }
    })
    { IsBackground = true, Name = "lossy wire" };

    /// <summary>
    /// A veth hands frames over with the TCP/UDP checksum left to "hardware" (chapter 04's offload): only the
    /// pseudo-header part is filled in. A frame re-sent through a packet socket is checked as it is, so the
    /// relay finishes the checksum, as a network card would.
    /// </summary>
    internal static void FinishChecksum(Span<byte> packet)
    {
        var ip = Ipv4Header.Parse(packet);
        var segment = packet[ip.HeaderLength..Math.Min(packet.Length, ip.TotalLength)];
        int field = ip.Protocol switch
        {
            ProtocolType.Tcp => 16,
            ProtocolType.Udp => 6,
            _ => -1,
        };
        if (field < 0 || segment.Length < field + 2)
        {
            return;
        }
        segment[field] = 0;
        segment[field + 1] = 0;
        ushort checksum = InternetChecksum.Transport(ip.Source, ip.Destination, ip.Protocol, segment);
        if (ip.Protocol == ProtocolType.Udp && checksum == 0)
        {
            checksum = 0xFFFF;
        }
        segment[field] = (byte)(checksum >> 8);
        segment[field + 1] = (byte)checksum;
    }
}

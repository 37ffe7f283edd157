using System.Net;
using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>
/// A struct sockaddr_ll for binding an AF_PACKET socket to one interface. .NET has no endpoint type for
/// link-layer addresses, so this serialises the 20 bytes itself (linux/if_packet.h).
/// </summary>
public sealed class PacketEndPoint(int interfaceIndex, ushort protocol = 0x0003) : EndPoint
{
    public int InterfaceIndex { get; } = interfaceIndex;

    /// <summary>ETH_P_ALL (every protocol) by default, in host order.</summary>
    public ushort Protocol { get; } = protocol;

    public override AddressFamily AddressFamily => AddressFamily.Packet;

    public override SocketAddress Serialize()
    {
        var address = new SocketAddress(AddressFamily.Packet, 20);
        var bytes = address.Buffer.Span;
        BitConverter.TryWriteBytes(bytes[2..4], ByteOrder.Htons(Protocol)); // sll_protocol, network order
        BitConverter.TryWriteBytes(bytes[4..8], InterfaceIndex);           // sll_ifindex, host order
        return address;
    }

    public override EndPoint Create(SocketAddress socketAddress) =>
        new PacketEndPoint(BitConverter.ToInt32(socketAddress.Buffer.Span[4..8]), ByteOrder.Ntohs(BitConverter.ToUInt16(socketAddress.Buffer.Span[2..4])));
}

namespace NetIpc.Native;

/// <summary>
/// The socket option levels and names the course sets by number, because .NET has no named option for
/// them (or its named option does more than the one call). Values from include/uapi/asm-generic/socket.h,
/// include/linux/socket.h, include/uapi/linux/if_packet.h, include/uapi/linux/if_ether.h and
/// include/uapi/linux/tcp.h.
/// </summary>
public static class SocketOptions
{
    /// <summary>SOL_SOCKET: the level of options that belong to every socket.</summary>
    public const int SolSocket = 1;

    /// <summary>SO_REUSEADDR, alone (.NET's ReuseAddress adds SO_REUSEPORT on Linux).</summary>
    public const int SoReuseAddr = 2;

    /// <summary>SO_SNDBUF.</summary>
    public const int SoSndBuf = 7;

    /// <summary>SO_RCVBUF.</summary>
    public const int SoRcvBuf = 8;

    /// <summary>SO_REUSEPORT, alone.</summary>
    public const int SoReusePort = 15;

    /// <summary>SO_ATTACH_FILTER: a classic BPF program that decides, packet by packet, what the socket receives.</summary>
    public const int SoAttachFilter = 26;

    /// <summary>SO_DETACH_FILTER: removes the socket's filter (the value passed is ignored).</summary>
    public const int SoDetachFilter = 27;

    /// <summary>SO_RCVBUFFORCE: SO_RCVBUF past net.core.rmem_max, for CAP_NET_ADMIN.</summary>
    public const int SoRcvBufForce = 33;

    /// <summary>IPPROTO_IP: the level of IPv4 options.</summary>
    public const int SolIp = 0;

    /// <summary>IP_MTU (include/uapi/linux/in.h): the path MTU of a connected socket's route, read-only.</summary>
    public const int IpMtu = 14;

    /// <summary>TCP_DEFER_ACCEPT, at level IPPROTO_TCP.</summary>
    public const int TcpDeferAccept = 9;

    /// <summary>SOL_PACKET: the level of AF_PACKET sockets' options.</summary>
    public const int SolPacket = 263;

    /// <summary>PACKET_IGNORE_OUTGOING: a packet socket sees only frames arriving, not those leaving.</summary>
    public const int PacketIgnoreOutgoing = 23;

    /// <summary>ETH_P_ALL: the protocol of a packet socket that receives every frame (in network byte order when passed to socket()).</summary>
    public const int EthPAll = 0x0003;
}

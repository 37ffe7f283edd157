namespace NetIpc.Packets;

/// <summary>
/// The MSS an IPv4 TCP socket announces in its SYN or SYN-ACK when nothing clamps it (no TCP_MAXSEG, no
/// route advmss metric): the kernel's <c>ipv4_default_advmss</c> in net/ipv4/route.c.
/// </summary>
public static class TcpMss
{
    /// <summary>sizeof(struct iphdr) + sizeof(struct tcphdr): the headers without options.</summary>
    public const int HeaderSize = Ipv4Header.MinimumLength + 20;

    /// <summary>IPV4_MAX_PMTU (include/net/ip.h): an IPv4 packet's 16-bit total length cannot exceed it.</summary>
    public const int Ipv4MaxPmtu = 65535;

    /// <summary>net.ipv4.route.min_adv_mss's default (ip_rt_min_advmss): the floor for tiny MTUs.</summary>
    public const int DefaultMinAdvMss = 256;

    /// <summary>
    /// <c>min(max(mtu − 40, min_adv_mss), IPV4_MAX_PMTU − 40)</c>. Loopback's device MTU is 65536, but 65536 − 40
    /// = 65496 would not fit a 16-bit total length: the route's MTU is already capped at IP_MAX_MTU 65535 by
    /// ipv4_mtu (IP_MTU reports 65535), and this cap gives 65535 − 40 = 65495 whichever MTU it is given.
    /// </summary>
    public static int Ipv4DefaultAdvMss(int pathMtu, int minAdvMss = DefaultMinAdvMss)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pathMtu);
        return Math.Min(Math.Max(pathMtu - HeaderSize, minAdvMss), Ipv4MaxPmtu - HeaderSize);
    }

    /// <summary>The formula with this MTU's numbers in it, for a check's label.</summary>
    public static string Explain(int pathMtu) =>
        $"min(MTU {pathMtu} − {HeaderSize}, IPV4_MAX_PMTU {Ipv4MaxPmtu} − {HeaderSize}) = {Ipv4DefaultAdvMss(pathMtu)}";
}

namespace NetIpc.Isolation;

/// <summary>
/// Something an experiment needs beyond an ordinary socket. Each is probed by trying it
/// (<see cref="Capabilities"/>), never inferred from the user id: root in a container may lack it, an
/// ordinary user may have it inside a user namespace of their own.
/// </summary>
public enum Capability
{
    /// <summary>Read /proc/net/tcp: the socket tables every chapter reads.</summary>
    ProcNet,

    /// <summary>Open socket(AF_INET, SOCK_RAW, IPPROTO_RAW): send IPv4 packets built by hand (CAP_NET_RAW).</summary>
    RawSocket,

    /// <summary>Open socket(AF_PACKET, SOCK_RAW): capture and send whole frames (CAP_NET_RAW).</summary>
    PacketSocket,

    /// <summary>unshare(CLONE_NEWNET): a network stack of the experiment's own (CAP_SYS_ADMIN).</summary>
    NetworkNamespace,

    /// <summary>Inside a new network namespace, set its loopback up (CAP_NET_ADMIN there).</summary>
    LoopbackUp,

    /// <summary>Inside a new network namespace, create a veth pair: a virtual cable (CAP_NET_ADMIN there).</summary>
    VethPair,

    /// <summary>Inside a new network namespace, write a net sysctl such as net.core.somaxconn (CAP_NET_ADMIN there, /proc/sys writable).</summary>
    NetSysctl,
}

/// <summary>One capability tried once: whether it worked, what was tried, and what happened — when it did not, one plain sentence of why.</summary>
public sealed record CapabilityProbe(Capability Capability, bool Allowed, string Tried, string Outcome);

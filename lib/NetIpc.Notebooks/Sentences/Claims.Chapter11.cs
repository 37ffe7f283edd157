using NetIpc.Harness;
using NetIpc.SocketTables;
using NetIpc.Unix;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>11: a descriptor passed with SCM_RIGHTS is a new number for the same open file; SO_PEERCRED names the peer process.</summary>
    public static string DescriptorPassed(DescriptorPassingResult r)
    {
        r.Checks().RequireAll();
        return $"✓ process {r.SenderPid} sent its fd {r.SenderFd}; process {r.ReceiverPid} received it as fd {r.ReceiverFd}" +
               $"{(r.ReceiverFd == r.SenderFd ? " (the same number by chance)" : "")}, both → {r.SenderTarget}, and wrote through it: \"{r.FileContents.Trim()}\". " +
               $"On the server's end, SO_PEERCRED said pid {r.PeerCredPid}, uid {r.PeerCredUid}, gid {r.PeerCredGid}";
    }

    /// <summary>11: SOCK_STREAM is a type, TCP a protocol: a UNIX stream socket has the type and not the protocol.</summary>
    public static string StreamIsNotTcp(StreamTypesResult r)
    {
        r.Checks().RequireAll();
        return $"✓ both SO_TYPE = {SocketTypesChecks.SockStream} (SOCK_STREAM); SO_PROTOCOL = {r.Tcp.Protocol} (IPPROTO_TCP) for the TCP socket, {r.Unix.Protocol} for the UNIX one, " +
               $"which only /proc/net/unix lists; SO_DOMAIN = {r.Unix.Domain}, AF_UNIX, the number AF_LOCAL also names";
    }

    /// <summary>11: connect() to a path needs write permission on the file (unless CAP_DAC_OVERRIDE); an abstract name needs nothing.</summary>
    public static string SocketPermissions(SocketPermissionsResult r)
    {
        r.Checks().RequireAll();
        var (asCreated, readOnly, anyone, process) = (r.Cases[0], r.Cases[1], r.Cases[2], r.Cases[3]);
        return $"✓ a socket file is guarded like any file: {asCreated.Mode} → {asCreated.Connect}, {readOnly.Mode} → {readOnly.Connect}. " +
               $"The abstract name → {anyone.Connect}, whoever asks (its server learns afterwards, from SO_PEERCRED, that uid {r.AbstractPeerUid} connected). " +
               $"This process, whose effective capabilities {r.CapabilitiesBefore} {(r.DacOverride ? "include" : "lack")} CAP_DAC_OVERRIDE, {(r.DacOverride ? "ignores the file's mode" : "is held to it as well")}: {process.Connect}";
    }

    /// <summary>11: the two limits of UNIX datagrams — the socketpair sender's send buffer, a named receiver's max_dgram_qlen + 1.</summary>
    public static string UnixDatagramLimits(UnixReliabilityResult r)
    {
        r.Checks().RequireAll();
        return $"✓ socketpair: EAGAIN after {r.UnixSentBeforeEagain} datagrams — {N(r.UnixSendBuffer)} bytes of send buffer, about " +
               $"{N(r.UnixSendBuffer / r.UnixSentBeforeEagain)} per {UnixReliabilityChecks.DatagramBytes}-byte datagram; named receiver, unconnected sender: EAGAIN after " +
               $"{r.NamedReceiverQueuedBeforeEagain} = net.unix.max_dgram_qlen ({r.MaxDgramQlen}) + 1";
    }
}

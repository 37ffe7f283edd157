using NetIpc.Harness;
using NetIpc.SocketTables;

namespace NetIpc.Unix;

/// <summary>Chapter 11's claim that SOCK_STREAM is a type and TCP a protocol.</summary>
public static class StreamTypesChecks
{
    // include/linux/socket.h and include/uapi/linux/in.h.
    public const int AfUnix = 1, AfInet = 2;

    /// <summary>A UNIX stream socket has the type SOCK_STREAM and not the protocol TCP.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this StreamTypesResult r)
    {
        var (tcp, unix) = (r.Tcp, r.Unix);
        return
        [
            new("both are SOCK_STREAM sockets", tcp.Type == SocketTypesChecks.SockStream && unix.Type == SocketTypesChecks.SockStream,
                $"SO_TYPE {tcp.Type} and {unix.Type}"),
            new("the TCP socket is AF_INET, protocol IPPROTO_TCP, listed in /proc/net/tcp",
                tcp.Domain == AfInet && tcp.Protocol == SocketTypesChecks.IpprotoTcp && tcp.ListedIn == "/proc/net/tcp",
                $"domain {tcp.Domain}, protocol {tcp.Protocol}, in {tcp.ListedIn}"),
            new("the UNIX stream socket is AF_UNIX, protocol 0, listed in /proc/net/unix only",
                unix.Domain == AfUnix && unix.Protocol == 0 && unix.ListedIn == "/proc/net/unix",
                $"domain {unix.Domain}, protocol {unix.Protocol}, in {unix.ListedIn}"),
        ];
    }
}

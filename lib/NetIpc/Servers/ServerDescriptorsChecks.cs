using NetIpc.Harness;

namespace NetIpc.Servers;

/// <summary>Chapter 10's claims about the descriptors a TCP and a UDP server hold.</summary>
public static class ServerDescriptorsChecks
{
    /// <summary>A TCP server holds a listening descriptor and one per client; a UDP server one descriptor, and no listen() or accept().</summary>
    public static IReadOnlyList<ProofCheck> Checks(this ServerDescriptorsResult r)
    {
        var (tcp, udp) = (r.Tcp, r.Udp);
        return
        [
            new($"the TCP server holds {r.Clients + 1} descriptors on its port: the listening one and one per client",
                tcp.Descriptors.Count == r.Clients + 1 && tcp.Descriptors.Count(d => d.Contains(": Listen ", StringComparison.Ordinal)) == 1,
                string.Join("; ", tcp.Descriptors)),
            new("the TCP server called listen() once and accept() once per client",
                tcp.Calls.Any(c => c.StartsWith("listen(", StringComparison.Ordinal)) && tcp.Calls.Count(c => c.StartsWith("accept()", StringComparison.Ordinal)) == r.Clients,
                string.Join("; ", tcp.Calls)),
            new("the UDP server holds one descriptor, one socket, one line in /proc/net/udp", udp.Descriptors.Count == 1 && udp.TableLines.Count == 1,
                $"{string.Join("; ", udp.Descriptors)} | {string.Join("; ", udp.TableLines)}"),
            new("the UDP server never called listen(), accept() or connect()",
                !udp.Calls.Any(c => c.StartsWith("listen(", StringComparison.Ordinal) || c.StartsWith("accept(", StringComparison.Ordinal) || c.StartsWith("connect(", StringComparison.Ordinal)),
                string.Join("; ", udp.Calls)),
            new("both answered every client at its own address", udp.Peers.Distinct().Count() == r.Clients && tcp.Peers.Distinct().Count() == r.Clients,
                $"TCP {string.Join(", ", tcp.Peers)}; UDP {string.Join(", ", udp.Peers)}"),
        ];
    }
}

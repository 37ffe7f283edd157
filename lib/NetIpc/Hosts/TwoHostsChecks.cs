using NetIpc.Harness;
using NetIpc.Performance;

namespace NetIpc.Hosts;

/// <summary>Chapter 12's claims about two hosts joined by a veth cable, beside the checks the experiment records itself.</summary>
public static class TwoHostsChecks
{
    /// <summary>"The same order": the two medians within a factor of ten of each other.</summary>
    public const double SameOrderFactor = 10;

    /// <summary>
    /// The round trip across the veth cable set against one over loopback measured the same way
    /// (LoopbackRoundTrip: 64 bytes, both ends on one thread). Only a live run is set against this machine's loopback.
    /// </summary>
    public static IReadOnlyList<ProofCheck> RoundTripChecks(this TwoHostsResult hosts, LoopbackRoundTripResult loopback)
    {
        double veth = hosts.MedianRoundTripMicroseconds, loop = loopback.MedianMicroseconds;
        double ratio = veth / loop;
        return
        [
            new("a round trip across the veth cable is of the same order as one over loopback", ratio > 1 / SameOrderFactor && ratio < SameOrderFactor,
                $"veth {veth:F1} µs, loopback {loop:F1} µs"),
        ];
    }

    /// <summary>
    /// The weak host model (RFC 1122 §3.3.4.2). An address belongs to the host: a SYN that came in on the cable for an
    /// address configured on lo is delivered (ip_route_input_slow finds it RTN_LOCAL). Only SO_BINDTODEVICE ties a
    /// socket to an interface: the listener lookup skips a socket bound to another device (inet_sk_bound_dev_eq).
    /// </summary>
    public static IReadOnlyList<ProofCheck> WeakHostChecks(this TwoHostsResult r)
    {
        var b = r.Binding;
        string seen = string.Join("; ", b.Select(a => $"{a.Listener}{(a.Device is null ? "" : $" on {a.Device}")} ← {a.ConnectTo}: {a.Outcome}"));
        if (b.Count != 3)
        {
            return [new("three connections were tried", false, seen)];
        }
        return
        [
            new("a connection across the cable reaches an address the server host has on its loopback", b[0].Outcome == "connected", seen),
            new("a listener tied to lo with SO_BINDTODEVICE does not get the cable's SYN", b[1].Outcome == "ECONNREFUSED", seen),
            new("a listener tied to the cable's interface gets its SYN", b[2].Outcome == "connected", seen),
        ];
    }
}

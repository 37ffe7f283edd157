using NetIpc.Harness;
using NetIpc.Hosts;
using NetIpc.Performance;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>
    /// 12: the round trip across the veth cable set against one over loopback measured just now the same way, the
    /// comparison chapter 12 makes with chapter 00 (<see cref="TwoHostsChecks.RoundTripChecks"/>). A recorded veth run
    /// is not set against this machine's loopback.
    /// </summary>
    public static string VethAgainstLoopback(Measured<TwoHostsResult> hosts, LoopbackRoundTripResult loopback)
    {
        double veth = hosts.Result.MedianRoundTripMicroseconds, loop = loopback.MedianMicroseconds;
        if (hosts.IsRecorded)
        {
            return $"the veth figure ({veth:F0} µs) is a recording: it is not set against this machine's loopback ({loop:F1} µs, measured just now)";
        }
        hosts.Result.RoundTripChecks(loopback).RequireAll();
        return $"✓ median round trip across the veth cable {veth:F1} µs, over loopback {loop:F1} µs: the cable's is {veth / loop:0.0}× as long, " +
               $"{(veth >= loop ? $"{veth - loop:F1} µs more" : $"{loop - veth:F1} µs less")}. " +
               $"Loopback was measured just now the same way, in this notebook's namespace: {loopback.Trips.Count} round trips of {loopback.MessageSize} bytes, both ends on one thread";
    }

    /// <summary>12: the weak host model (RFC 1122 §3.3.4.2): an address belongs to the host; only SO_BINDTODEVICE ties a socket to an interface.</summary>
    public static string WeakHost(TwoHostsResult r)
    {
        r.WeakHostChecks().RequireAll();
        var b = r.Binding;
        return $"✓ across the cable, connect() reached {b[0].ConnectTo}, an address on the server host's lo; " +
               $"a listener on 0.0.0.0 tied to lo (SO_BINDTODEVICE) gave {b[1].Outcome}, one tied to veth-server {b[2].Outcome}";
    }
}

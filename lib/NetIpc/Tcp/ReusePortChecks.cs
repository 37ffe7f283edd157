using NetIpc.Harness;

namespace NetIpc.Tcp;

/// <summary>Chapter 06's claims about how SO_REUSEPORT spreads connections.</summary>
public static class ReusePortChecks
{
    /// <summary>Every connection landed in one of the group's accept queues, and every listener got some.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this ReusePortResult r) =>
    [
        new($"the {r.Connections} connections are all in the listeners' accept queues", r.PerListener.Sum() == r.Connections,
            $"{r.PerListener.Sum()} queued: {string.Join(", ", r.PerListener)}"),
        new($"each of the {r.PerListener.Count} listeners got a share", r.PerListener.All(n => n > 0), string.Join(", ", r.PerListener)),
    ];
}

using NetIpc.Harness;

namespace NetIpc.Tcp;

/// <summary>Chapter 07's claim about where the accept queue stops.</summary>
public static class AcceptQueueChecks
{
    /// <summary>
    /// The accept queue stops at backlog + 1 (sk_acceptq_is_full tests <c>&gt;</c>), the clients beyond it wait in
    /// SYN_SENT, and sock_diag, where the run read it, says the same as /proc.
    /// </summary>
    public static IReadOnlyList<ProofCheck> Checks(this AcceptQueueResult r)
    {
        int ceiling = r.EffectiveBacklog + 1;
        int beyond = Math.Max(0, r.Clients - ceiling);
        List<ProofCheck> checks =
        [
            new("the accept queue grows to backlog + 1", r.PeakQueued == ceiling, $"backlog {r.EffectiveBacklog}, peak {r.PeakQueued}"),
            new("every client beyond backlog + 1 is left in SYN_SENT, none refused", r.StuckInSynSent == beyond,
                $"{r.StuckInSynSent} of {r.Clients} clients in SYN_SENT, {beyond} expected"),
        ];
        if (r.Samples.Any(s => s.DiagQueued is not null))
        {
            var off = r.Samples.FirstOrDefault(s => s.DiagQueued != s.Queued || s.DiagBacklog != r.EffectiveBacklog);
            checks.Add(new("sock_diag reports the same accept queue as rx_queue, and the effective backlog as idiag_wqueue", off is null,
                off is null ? $"idiag_rqueue = rx_queue after all {r.Samples.Count} clients, idiag_wqueue {r.EffectiveBacklog}"
                    : $"after client {off.Clients}: rx_queue {off.Queued}, idiag_rqueue {off.DiagQueued}, idiag_wqueue {off.DiagBacklog}, effective backlog {r.EffectiveBacklog}"));
        }
        return checks;
    }
}

using System.Globalization;
using NetIpc.Harness;

namespace NetIpc.Tcp;

/// <summary>Chapter 07's claim about when a client resends a dropped SYN.</summary>
public static class SynResendsChecks
{
    /// <summary>
    /// A client whose SYN is dropped resends it on the schedule <see cref="SynRetransmitSchedule"/> gives for this
    /// kernel's tcp_syn_linear_timeouts and tcp_syn_retries. Every resend the rule puts inside the watched time must be
    /// seen, each gap within a quarter of the rule's (timers fire late by a wheel slot), and tcp_info's timeout after
    /// each must be the rule's exactly. A resend is known only to lie between two reads of tcp_info, so a gap is the
    /// widest and narrowest the reads allow: a sampler descheduled on a busy machine widens that bracket instead of
    /// moving the resend.
    /// </summary>
    public static IReadOnlyList<ProofCheck> Checks(this SynResendsResult r)
    {
        var (sends, _) = r.Expected();
        // A resend due in the last 400 ms may or may not have been seen: timers fire late by up to a wheel slot.
        var due = sends.Skip(1).Where(e => e.At.TotalMilliseconds <= r.WatchedMs - 400).ToList();
        var maybe = sends.Skip(1).Count(e => e.At.TotalMilliseconds <= r.WatchedMs);
        string linear = r.LinearTimeouts?.ToString(CultureInfo.InvariantCulture) ?? "absent";
        List<ProofCheck> checks =
        [
            new("a SYN that meets a full accept queue is dropped, and the client stays in SYN_SENT", r.QueuedAtListener == 1 && r.StillSynSent,
                $"{r.QueuedAtListener} queued at the listener; client still in SYN_SENT: {r.StillSynSent}"),
            new("the first SYN goes with TCP_TIMEOUT_INIT, 1 s", Math.Abs(r.InitialRtoMs - sends[0].RtoAfter.TotalMilliseconds) <= 1,
                $"tcpi_rto {r.InitialRtoMs} ms after connect()"),
            new($"the client resends its SYN {due.Count} times in {r.WatchedMs / 1000:0.0} s (tcp_syn_linear_timeouts {linear})",
                r.Resends.Count >= due.Count && r.Resends.Count <= maybe,
                $"{r.Resends.Count} resends, at {string.Join(", ", r.Resends.Select(s => $"{s.AtMs:0} ms"))}"),
        ];
        // connect() is the zeroth send: the clock starts right before it.
        (double NotBefore, double At) previous = (0, 0);
        foreach (var seen in r.Resends)
        {
            if (seen.Number < 1 || seen.Number >= sends.Count)
            {
                checks.Add(new("every resend seen is one the rule allows", false, $"resend {seen.Number} of {sends.Count - 1}"));
                continue;
            }
            var rule = sends[seen.Number];
            double ruleGap = (rule.At - sends[seen.Number - 1].At).TotalMilliseconds;
            double shortest = seen.NotBeforeMs - previous.At, longest = seen.AtMs - previous.NotBefore;
            checks.Add(new($"resend {seen.Number} comes {ruleGap / 1000:0.#} s after the one before",
                longest >= ruleGap * 3 / 4 && shortest <= ruleGap * 5 / 4,
                shortest >= longest - 10 ? $"{longest:0} ms after" : $"between {Math.Max(0, shortest):0} and {longest:0} ms after"));
            checks.Add(new($"after resend {seen.Number} the timeout is {rule.RtoAfter.TotalSeconds:0.#} s",
                Math.Abs(seen.RtoAfterMs - rule.RtoAfter.TotalMilliseconds) <= 1, $"tcpi_rto {seen.RtoAfterMs} ms"));
            previous = (seen.NotBeforeMs, seen.AtMs);
        }
        return checks;
    }
}

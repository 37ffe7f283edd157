using NetIpc.Harness;
using NetIpc.SocketTables;

namespace NetIpc.Tcp;

/// <summary>The probe timer's brackets, from the samples' own times: when it was armed, for how long, when it was due and when the step came.</summary>
public sealed record ProbeTiming(double RtoMs, double LeftMs, double ArmedFromMs, double SeenByMs, double ArmedForMs, double DueFromMs, double DueByMs, double FiredFromMs, double FiredByMs);

/// <summary>
/// The first step after the window closed: sample <paramref name="Grew"/> saw the receiver's queue grow by
/// <paramref name="GrewBytes"/>, sample <paramref name="Acked"/> the sender's tx_queue drop by <paramref name="AckedBytes"/>.
/// <paramref name="Timing"/> is null for samples without the timer's numbers (older recordings).
/// </summary>
public sealed record ProbeStep(int ProbeSeen, int Grew, int Acked, long GrewBytes, long AckedBytes, ProbeTiming? Timing);

/// <summary>Chapter 08's claims about where written bytes wait, and how the zero-window probe moves them.</summary>
public static class BuffersChecks
{
    /// <summary>/proc prints the time left truncated to 1/100 s (jiffies_delta_to_clock_t): the true value is up to 10 ms more.</summary>
    private const double Tick = 10;

    /// <summary>The last sample at which the queue had settled (the same as the sample before it) and /proc's tx_queue was read; null if none.</summary>
    public static BufferSample? Settled(this BuffersResult r) => r.Samples.Skip(1).Zip(r.Samples, (s, before) => (s, before))
        .LastOrDefault(p => p.s.ProcTxQueue is not null && p.s.SenderTxQueue == p.before.SenderTxQueue).s;

    /// <summary>
    /// tx_queue is write_seq − snd_una, bytes written and not yet acknowledged, including bytes never sent. The kernel
    /// can have sent at most one receive window beyond what was acknowledged, and a window is at most the receiver's
    /// buffer: everything above that was never sent — and SIOCOUTQNSD, write_seq − snd_nxt, says how much. Also
    /// checks that SIOCOUTQ is the number /proc prints as tx_queue, on a sample where the queue had settled, since the
    /// ioctls and the /proc read are not one snapshot.
    /// </summary>
    public static IReadOnlyList<ProofCheck> TxQueueChecks(this BuffersResult r)
    {
        if (r.Samples.Count == 0)
        {
            return [new("the sampler saw the queues", false, "no samples")];
        }
        var last = r.Samples[^1];
        List<ProofCheck> checks =
        [
            new("tx_queue grows beyond anything the receiver's window could let the sender send", r.PeakTxQueue > r.ReceiveBuffer,
                $"peak tx_queue {r.PeakTxQueue:N0}, receiver's SO_RCVBUF {r.ReceiveBuffer:N0}"),
            new("most of tx_queue was never sent (write_seq − snd_nxt), and what was sent fits in the receiver's buffer",
                last.SenderNotSent > 0 && last.SenderNotSent <= last.SenderTxQueue && last.SenderTxQueue - last.SenderNotSent <= r.ReceiveBuffer,
                $"tx_queue {last.SenderTxQueue:N0}, never sent {last.SenderNotSent:N0}, SO_RCVBUF {r.ReceiveBuffer:N0}"),
        ];
        if (r.Samples.Any(s => s.ProcTxQueue is not null))
        {
            var settled = r.Settled();
            checks.Add(new("SIOCOUTQ is the number /proc/net/tcp prints as tx_queue", settled is not null && settled.ProcTxQueue == settled.SenderTxQueue,
                settled is null ? "the queue never settled between two samples" : $"at {settled.TimeMs:0} ms: SIOCOUTQ {settled.SenderTxQueue:N0}, /proc tx_queue {settled.ProcTxQueue:N0}"));
        }
        return checks;
    }

    /// <summary>The sample where the sender's timer column first showed the zero-window probe, or −1.</summary>
    public static int ProbeFirstSeen(this BuffersResult r) => r.Samples.ToList().FindIndex(s => s.SenderTimer == "ZeroWindowProbe");

    /// <summary>The first step after the probe timer was seen: the receiver's queue grew, the sender's tx_queue fell. Null when the window never reopened.</summary>
    public static ProbeStep? FindProbeStep(this BuffersResult r)
    {
        var samples = r.Samples;
        int probeSeen = r.ProbeFirstSeen();
        if (probeSeen < 0)
        {
            return null;
        }
        for (int i = probeSeen + 1; i < samples.Count; i++)
        {
            long grew = samples[i].ReceiverRxQueue - samples[i - 1].ReceiverRxQueue;
            if (grew <= 0)
            {
                continue;
            }
            // The receiver's ACK can reach the sender after the sample that saw the data arrive (a sender socket busy
            // in a system call takes it from its backlog later): the drop is the first change of tx_queue from here on.
            int j = i;
            while (j < samples.Count - 1 && j < i + 5 && samples[j].SenderTxQueue == samples[i - 1].SenderTxQueue) j++;
            long acked = samples[i - 1].SenderTxQueue - samples[j].SenderTxQueue;
            var seen = samples[probeSeen];
            ProbeTiming? timing = null;
            if (probeSeen > 0 && seen.SenderRtoMs is double rto && seen.SenderTimerLeftMs is double left
                && seen.ReadDoneMs is double seenBy && samples[i].ReadDoneMs is double firedBy)
            {
                // A sample's view is placed anywhere between when it began and when its /proc read ended, so a
                // preempted sampler widens the brackets instead of breaking them.
                double armedFrom = samples[probeSeen - 1].TimeMs;
                // tcp_probe0_base: max(icsk_rto, TCP_RTO_MIN) — a route's rto_min can put the rto column below 200 ms.
                double armedFor = Math.Max(rto, SockDiagViewsChecks.TcpRtoMinMs);
                timing = new(rto, left, armedFrom, seenBy, armedFor, seen.TimeMs + left, seenBy + left + Tick, samples[i - 1].TimeMs, firedBy);
            }
            return new(probeSeen, i, j, grew, acked, timing);
        }
        return null;
    }

    /// <summary>
    /// The step after the window closed. The sender's next segment did not fit in the little window left
    /// (sender-side silly window avoidance), so it waited for the zero-window probe timer; when it fired,
    /// tcp_write_wakeup cut the segment to the window and sent it: the receiver's queue grows by exactly what the
    /// sender's tx_queue loses. Two timing checks, both from the kernel's own timer: it was armed for the sender's
    /// RTO (tcp_probe0_base: at least TCP_RTO_MIN) — the time left /proc printed when the timer was first seen, plus
    /// how long it could have run before that — and the step came when it was due. Samples without those numbers
    /// (older recordings) give the step only; a run whose window never reopened, the timer only.
    /// </summary>
    public static IReadOnlyList<ProofCheck> WindowProbeChecks(this BuffersResult r)
    {
        int probeSeen = r.ProbeFirstSeen();
        List<ProofCheck> checks =
        [
            new("the sender's timer column shows the zero-window probe (tr 4)", probeSeen >= 0,
                probeSeen < 0 ? "never seen" : $"from {r.Samples[probeSeen].TimeMs:0} ms"),
        ];
        if (r.FindProbeStep() is not { } step)
        {
            return checks;
        }
        var s = r.Samples;
        checks.Add(new("what the receiver's queue gained at the probe is what the sender's tx_queue lost", step.AckedBytes == step.GrewBytes,
            $"rx_queue +{step.GrewBytes:N0} at {s[step.Grew].TimeMs:0} ms, tx_queue −{step.AckedBytes:N0} by {s[step.Acked].TimeMs:0} ms"));
        if (step.Timing is { } t)
        {
            double ranBefore = t.SeenByMs - t.ArmedFromMs;
            checks.Add(new("the probe timer is armed for one RTO, at least TCP_RTO_MIN (tcp_probe0_base)",
                t.LeftMs <= t.ArmedForMs + Tick && t.LeftMs + Tick + ranBefore >= t.ArmedForMs - Tick,
                $"{t.LeftMs:0} ms left when first seen, at most {ranBefore:0.0} ms after it was armed; rto column {t.RtoMs:0} ms, so {t.ArmedForMs:0} ms expected"));
            // A timer runs in the softirq at or after its tick; the bracket's far side allows a few ticks of that.
            checks.Add(new("the step comes when the probe timer is due", t.FiredByMs >= t.DueFromMs - Tick && t.FiredFromMs <= t.DueByMs + 4 * Tick,
                $"due between {t.DueFromMs:0.0} and {t.DueByMs:0.0} ms; the receiver's queue grew between {t.FiredFromMs:0.0} and {t.FiredByMs:0.0} ms"));
        }
        return checks;
    }
}

using NetIpc.Harness;
using NetIpc.Tcp;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>
    /// 08: tx_queue is write_seq − snd_una, bytes written and not yet acknowledged, including bytes never sent
    /// (<see cref="BuffersChecks.TxQueueChecks"/>).
    /// </summary>
    public static string TxQueueIncludesUnsent(BuffersResult r)
    {
        r.TxQueueChecks().RequireAll();
        var last = r.Samples[^1];
        string same = r.Samples.Any(s => s.ProcTxQueue is not null) && r.Settled() is { } settled
            ? $"; /proc's tx_queue said the same {N(settled.ProcTxQueue!.Value)} at {settled.TimeMs:0} ms"
            : "";
        return $"✓ at the end: tx_queue {N(last.SenderTxQueue)} bytes, of which {N(last.SenderNotSent)} never sent " +
               $"({100.0 * last.SenderNotSent / last.SenderTxQueue:0.0}%); the receiver held {N(last.ReceiverRxQueue)} unread{same}";
    }

    /// <summary>
    /// 08: the step after the window closed: the zero-window probe timer fired and the receiver's queue grew by what the
    /// sender's tx_queue lost, when the timer was due (<see cref="BuffersChecks.WindowProbeChecks"/>). Returns a sentence
    /// saying so when no step happened.
    /// </summary>
    public static string WindowProbeStep(BuffersResult r)
    {
        r.WindowProbeChecks().RequireAll();
        var samples = r.Samples;
        var seen = samples[r.ProbeFirstSeen()];
        if (r.FindProbeStep() is not { } step)
        {
            return $"✓ the sender's timer column showed the zero-window probe from {seen.TimeMs:0} ms; the window never reopened in this run's {samples[^1].TimeMs:0} ms";
        }
        var at = samples[step.Grew];
        string moved = $"rx_queue +{N(step.GrewBytes)} bytes, tx_queue −{N(step.AckedBytes)} bytes — one segment cut to the window";
        if (step.Timing is not { } t)
        {
            return $"✓ at {at.TimeMs:0} ms, {at.TimeMs - seen.TimeMs:0} ms after the probe timer was first seen: {moved}";
        }
        string forWhat = t.ArmedForMs == t.RtoMs ? $"for the sender's RTO ({t.RtoMs:0} ms" : $"for TCP_RTO_MIN ({t.ArmedForMs:0} ms, above the sender's RTO of {t.RtoMs:0}";
        return $"✓ the probe timer was armed between {t.ArmedFromMs:0.0} and {t.SeenByMs:0.0} ms, {forWhat}; {t.LeftMs:0} ms left when first seen), " +
               $"so due between {t.DueFromMs:0.0} and {t.DueByMs:0.0} ms. The step came between {t.FiredFromMs:0.0} and {t.FiredByMs:0.0} ms: {moved}";
    }
}

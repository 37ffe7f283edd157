using NetIpc.Benchmarks;
using NetIpc.Commands;
using NetIpc.Packets;
using NetIpc.Performance;
using NetIpc.Tcp;

namespace NetIpc.Notebooks.Sentences;

/// <summary>
/// The measured sentences chapters print under a result, built from its data. They live here, beside the other
/// sentences, so the core returns data and checks only; the names are the ones the chapters have always called.
/// </summary>
public static class Summaries
{
    extension(LoopbackRoundTripResult r)
    {
        /// <summary>The middle, the tail, and where the first trip ranked.</summary>
        public string Summary
        {
            get
            {
                if (r.Trips.Count == 0)
                {
                    return "no round trips";
                }
                var slowest = r.Trips.MaxBy(t => t.Microseconds)!;
                return $"median {r.MedianMicroseconds:F1} µs, 99th percentile {r.P99Microseconds:F1} µs, slowest {slowest.Microseconds:F1} µs (trip {slowest.Message}); "
                    + $"the first trip took {r.Trips[0].Microseconds:F1} µs, slower than {r.FasterThanFirst} of the other {r.Trips.Count - 1}";
            }
        }
    }

    extension(LifecycleResult r)
    {
        /// <summary>
        /// What the samples say about the client's close: how long FIN-WAIT-1 was visible, and whether FIN-WAIT-2
        /// came before the server's own close() — the sentence chapter 05 shows under its chart.
        /// </summary>
        public string CloseSummary
        {
            get
            {
                double? closed = r.StepTime(LifecycleResult.ClientClose), serverClosed = r.StepTime(LifecycleResult.ServerClose);
                var finWait1 = r.Seen("FIN-WAIT-1");
                var finWait2 = r.Seen("FIN-WAIT-2");
                if (closed is null || finWait1 is null)
                {
                    return "this run's samples never showed the client in FIN-WAIT-1: its ACK came between two samples";
                }
                string wait2 = finWait2 is { } w2
                    ? $"FIN-WAIT-2 from {w2.First:F1} ms, {(serverClosed is double s && w2.First < s ? "before" : "after")} the server's close() at {serverClosed:F1} ms"
                    : "no FIN-WAIT-2 in the samples";
                return $"client close() at {closed:F1} ms; FIN-WAIT-1 seen from {finWait1.Value.First:F1} to {finWait1.Value.Last:F1} ms "
                    + $"({finWait1.Value.Last - closed.Value:F0} ms after the close); {wait2}";
            }
        }
    }

    extension(FinAckResult r)
    {
        /// <summary>Chapter 05's measured sentence.</summary>
        public string Summary =>
            $"after the client's close(): FIN-WAIT-1 last seen at {r.FinWait1LastSeenMs:F1} ms, FIN-WAIT-2 first seen at {r.FinWait2FirstSeenMs:F1} ms; "
            + $"the server's ato was {r.AtoMs:F0} ms";
    }

    extension(ReusePortResult r)
    {
        /// <summary>Chapter 06's measured sentence.</summary>
        public string Summary => $"{r.Connections} connections to port {r.Port}: {string.Join(", ", r.PerListener.Select((n, i) => $"listener {i + 1} got {n}"))}";
    }

    extension(ReusePortRestartResult r)
    {
        /// <summary>Chapter 06's measured sentence, one clause per restart.</summary>
        public string Summary => string.Join("; ", r.Restarts.Select(x =>
            $"old server {(x.OldHadReusePort ? "with" : "without")} SO_REUSEPORT, TIME_WAIT on port {x.Port}: the new server's bind() = {x.BindResult}"));
    }

    extension(PortSharedResult r)
    {
        /// <summary>Chapter 06's measured sentence.</summary>
        public string Summary =>
            $"pid {r.OtherPid} (uid {r.OtherUid}) listened on port {r.Port} beside pid {r.ThisPid} (uid {r.ThisUid}) without an error, "
            + $"and the kernel gave it {r.QueuedInOther} of the {r.Connections} connections";
    }

    extension(ReceivePathResult r)
    {
        /// <summary>
        /// How many captured TCP/UDP checksums verify as captured: on loopback, with the device's checksum offload on,
        /// the kernel leaves CHECKSUM_PARTIAL (only the pseudo-header's sum) and none do.
        /// </summary>
        public string TransportChecksumSummary
        {
            get
            {
                var transport = r.Frames.Where(f => f.Tcp is not null || f.Udp is not null).ToList();
                int valid = transport.Count(f => f.TransportChecksumValid);
                return $"{valid} of {transport.Count} TCP/UDP checksums verify as captured; {r.Frames.Count(f => f.Ip.ChecksumIsValid())} of {r.Frames.Count} IPv4 header checksums do";
            }
        }
    }

    extension(SkBuffBenchmark r)
    {
        /// <summary>What the recording says, in words.</summary>
        public string Summary =>
            $"recorded: one SkBuff took {r.TimeRatio * 100:F0}% of the copying version's time and allocated {r.AllocationRatio * 100:F0}% of its memory (one 1460-byte payload, three layers)";
    }

    extension(SsComparison c)
    {
        /// <summary>What the comparison found, in one sentence.</summary>
        public string Summary
        {
            get
            {
                int changed = c.Rows.Count(r => r.ChangedDuringComparison), steady = c.Rows.Count - changed;
                string moved = changed == 0 ? "" : $"; {changed} appeared or vanished while they were read";
                return c.Agrees
                    ? $"✓ /proc and ss agree on all {steady} sockets that stayed put{moved}"
                    : $"✗ /proc and ss disagree on {c.Disagreements.Count} of {steady} sockets that stayed put{moved}";
            }
        }
    }
}

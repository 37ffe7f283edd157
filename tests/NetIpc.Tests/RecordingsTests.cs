using NetIpc.Hosts;
using NetIpc.Native;
using NetIpc.Packets;
using NetIpc.Tcp;
using NetIpc.Udp;
using NetIpc.Unix;

namespace NetIpc.Tests;

/// <summary>Every recorded run a chapter falls back to loads into the type the chapter expects, with its provenance.</summary>
public class RecordingsTests
{
    private static void Loads<T>(string path, Func<T, bool> sane)
    {
        var recording = Recordings.Load<T>(path);
        Assert.StartsWith("Linux ", recording.Kernel);
        Assert.StartsWith("RECORDED", recording.Label);
        Assert.True(sane(recording.Result), $"{path} loaded but its content is not what the chapter shows");
    }

    [Fact]
    public void Every_experiment_recording_loads()
    {
        Loads<List<AcceptQueueResult>>("experiments/accept-queue.json", r => r.All(x => x.PeakQueued == x.Backlog + 1));
        Loads<AcceptQueueResult>("experiments/accept-queue-backlog-3.json", r => r.Backlog == 3 && r.PeakQueued == 4);
        Loads<int>("experiments/loopback-order.json", r => r == 0);
        Loads<NetIpc.Commands.Iperf3Comparison>("benchmarks/throughput-vs-iperf3.json", r => r.Protocol == "TCP" && r.OursGigabytesPerSecond.Count == r.Iperf3GigabytesPerSecond.Count && r.AgreesWithinNoise);
        Loads<NetIpc.Commands.Iperf3Comparison>("benchmarks/udp-vs-iperf3.json", r => r.Protocol == "UDP" && r.OursGigabytesPerSecond.Count == r.Iperf3GigabytesPerSecond.Count
            && r.OursLostPercent!.Count == r.OursGigabytesPerSecond.Count && r.Iperf3LostMedian is >= 0 and <= 100);
        Loads<AcceptQueueResult>("experiments/accept-queue-somaxconn.json", r => r.PeakQueued == r.EffectiveBacklog + 1);
        Loads<List<SynQueueResult>>("experiments/syn-queue.json", r => r.Count == 2 && r[1].SyncookiesSent > 0);
        Loads<AcceptOverflowResult>("experiments/accept-overflow.json", r => !r.AbortOnOverflow && r.ServerHoldsRequest && r.Dropped!.ServerRead == "hello");
        Loads<AcceptOverflowResult>("experiments/accept-overflow-abort.json", r => r.AbortOnOverflow && r.Reset!.ReadErrno == Errno.ECONNRESET);
        Loads<SendPathResult>("experiments/send-udp.json", r => r.Checks.Count == 4 && r.Checks.All(c => c.Holds));
        Loads<SendPathResult>("experiments/send-syn.json", r => r.Checks.Count == 2 && r.Ip.Source.ToString() == "192.0.2.7");
        Loads<LifecycleResult>("experiments/lifecycle.json", r => r.Steps.Count == 7);
        Loads<ReusePortResult>("experiments/reuseport.json", r => r.PerListener.Sum() == r.Connections);
        Loads<List<BuffersResult>>("experiments/buffers.json", r => r.All(x => x.WriteBlocked));
        Loads<BuffersResult>("experiments/buffers-nonblocking.json", r => r.Errno == "EAGAIN (11)");
        Loads<CloseResult>("experiments/close.json", r => r.StatesSeen.Count >= 4);
        Loads<AbortiveCloseResult>("experiments/abortive-close.json", r => r.ZeroLinger.AbortOnData == 1 && r.UnreadData.AbortOnClose == 1 && r.Orderly.TimeWaitLeft);
        Loads<BoundariesResult>("experiments/boundaries.json", r => r.Reads.Any(x => x.Truncated));
        Loads<UdpDropsResult>("experiments/udp-drops.json", r => r.Bursts.All(b => b.Sent - b.Received == b.DropsColumn));
        Loads<UnixSocketsSnapshot>("experiments/unix-sockets.json", r => r.DatagramReply == "pong");
        Loads<StaleSocketFile>("experiments/unix-stale-file.json", r => r.FileExistsAfterCClose);
        Loads<UnixReliabilityResult>("experiments/unix-reliability.json", r => r.UnixReceived == r.Burst);
        Loads<TwoHostsResult>("experiments/two-hosts.json", r => r.Checks.All(c => c.Holds));
        Loads<LossyPathResult>("experiments/lossy-path.json", r => r.TcpIntact && r.UdpReceived < r.UdpSent);
        Loads<LossyPathResult>("experiments/reordering-path.json", r => r.TcpIntact && r.UdpOutOfOrder > 0);
    }

    [Fact]
    public void A_recording_says_not_this_machines_kernel_only_when_the_releases_differ()
    {
        string same = RecordingLabel.Describe("Linux 6.18.44-fc-v782", "2026-11-29", "Linux 6.18.44-fc-v782");
        Assert.StartsWith("RECORDED on 2026-11-29 with Linux 6.18.44-fc-v782", same);
        Assert.EndsWith("this machine's kernel release too", same);
        Assert.DoesNotContain("not this machine", same);

        string other = RecordingLabel.Describe("Linux 6.1.0", "2025-01-01", "Linux 6.18.44-fc-v782");
        Assert.Equal("RECORDED on 2025-01-01 with Linux 6.1.0; this machine runs Linux 6.18.44-fc-v782", other);

        string unknown = RecordingLabel.Describe("Linux 6.1.0", "2025-01-01", null);
        Assert.Equal("RECORDED on 2025-01-01 with Linux 6.1.0", unknown);
        Assert.All(new[] { same, other, unknown }, label => Assert.StartsWith(RecordingLabel.Marker, label));
    }

    [Fact]
    public void A_broken_recording_names_the_file_and_line()
    {
        var error = Assert.Throws<FormatException>(() => Recordings.Load<AcceptQueueResult>("proc/seed-server/README.md"));
        Assert.Contains("data/proc/seed-server/README.md", error.Message);
    }
}

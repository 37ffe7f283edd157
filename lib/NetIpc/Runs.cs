using System.Reflection;
using NetIpc.Commands;
using NetIpc.Hosts;
using NetIpc.Packets;
using NetIpc.Servers;
using NetIpc.SocketTables;
using NetIpc.Tcp;
using NetIpc.Udp;
using NetIpc.Unix;
using static NetIpc.Experiments;

namespace NetIpc;

/// <summary>A recorded run seen without its result type: what tools/RecordRuns and the tests walk over.</summary>
public interface IRun
{
    /// <summary>The run's name on RecordRuns' command line, e.g. "accept-queue-backlog-3".</summary>
    string Name { get; }

    /// <summary>Where its recording lives, relative to data/ (e.g. "experiments/accept-queue-backlog-3.json").</summary>
    string Recording { get; }

    /// <summary>What the run returns, and what its recording holds.</summary>
    Type ResultType { get; }

    /// <summary>Runs the experiment now and writes the recording over the old one.</summary>
    void Record();

    /// <summary>The recording read back; throws when it is missing or does not hold a <see cref="ResultType"/>.</summary>
    object LoadRecorded();
}

/// <summary>
/// One recorded experiment: the live call with its arguments, and the recording a chapter shows where that
/// call cannot run here (<see cref="Measured.LiveOr{T}(Run{T})"/>). Declared once, in <see cref="Runs"/>.
/// </summary>
public sealed record Run<T>(string Name, Func<T> Live, string Recording) : IRun
{
    /// <summary>How the recording is written and read back: an experiment's JSON (<see cref="Recordings.Save{T}"/>) unless the run says otherwise.</summary>
    public RecordingFormat<T> Format { get; init; } = RecordingFormat<T>.Json;

    public Type ResultType => typeof(T);

    /// <summary>The recorded result and the label a chapter shows above it.</summary>
    public (T Result, string Label) Recorded() => Format.Load(Recording);

    public void Record() => Format.Save(Live(), Recording);

    object IRun.LoadRecorded() => Recorded().Result ?? throw new FormatException($"data/{Recording} holds no {typeof(T).Name}");
}

/// <summary>How a run's recording is read back (its result and label) and written (result, path under data/).</summary>
public sealed record RecordingFormat<T>(Func<string, (T Result, string Label)> Load, Action<T, string> Save)
{
    /// <summary>The result as JSON, with the kernel and date it was recorded on.</summary>
    public static RecordingFormat<T> Json { get; } = new(LoadJson, Recordings.Save);

    private static (T Result, string Label) LoadJson(string relativePath)
    {
        var recording = Recordings.Load<T>(relativePath);
        return (recording.Result, recording.Label);
    }
}

/// <summary>A run with no recording: a chapter shows it where this machine can run it, and otherwise says so.</summary>
public interface ILiveRun
{
    string Name { get; }

    /// <summary>What the reader is told where it cannot run, e.g. "the delayed ACK can only be watched live".</summary>
    string OnlyLive { get; }
}

/// <summary>
/// One experiment a chapter shows only live (<see cref="Measured.LiveOnly{T}(LiveRun{T})"/>): it watches timing or
/// another process, which a recording would only retell.
/// </summary>
public sealed record LiveRun<T>(string Name, Func<T> Live, string OnlyLive) : ILiveRun;

/// <summary>
/// Every experiment a chapter runs through <see cref="Measured"/>, declared once: its name, the call with its
/// arguments, and where its recording lives. Chapters call <c>Measured.LiveOr(Runs.X)</c>; tools/RecordRuns
/// records <see cref="All"/>; the tests hold the chapters, this list and data/ to each other.
/// </summary>
public static class Runs
{
    public static Run<AcceptQueueResult> AcceptQueueBacklog3 { get; } = new("accept-queue-backlog-3", () => AcceptQueue(backlog: 3, clients: 8), "experiments/accept-queue-backlog-3.json");

    /// <summary>Three backlogs in one recording, saved as a list (the shape data/ holds).</summary>
    public static Run<List<AcceptQueueResult>> AcceptQueueSweep { get; } = new("accept-queue", () => [.. new[] { 0, 2, 4 }.Select(b => AcceptQueue(b, clients: 8))], "experiments/accept-queue.json");

    public static Run<AcceptQueueResult> AcceptQueueSomaxconn { get; } = new("accept-queue-somaxconn", () => AcceptQueue(backlog: 8, clients: 6, somaxconn: 2), "experiments/accept-queue-somaxconn.json");

    public static Run<SynResendsResult> SynResends { get; } = new("syn-resends", () => Experiments.SynResends(), "experiments/syn-resends.json");

    public static Run<AcceptOverflowResult> AcceptOverflow { get; } = new("accept-overflow", () => Experiments.AcceptOverflow(backlog: 1), "experiments/accept-overflow.json");

    public static Run<AcceptOverflowResult> AcceptOverflowAbort { get; } = new("accept-overflow-abort", () => Experiments.AcceptOverflow(backlog: 1, abortOnOverflow: true), "experiments/accept-overflow-abort.json");

    public static Run<IReadOnlyList<SynQueueResult>> SynQueue { get; } = new("syn-queue", () => SynQueueWithAndWithoutCookies(backlog: 4, syns: 20), "experiments/syn-queue.json");

    /// <summary>The frames the receive path captured, as hex text, taken apart again by the same code.</summary>
    public static Run<ReceivePathResult> ReceivePath { get; } = new("receive-path", () => SkBuffProofs.ReceivePath(), "packets/loopback-capture.txt")
    {
        Format = new(_ => (SkBuffProofs.RecordedReceivePath(), SkBuffProofs.RecordedCaptureLabel), SaveCapture),
    };

    public static Run<SendPathResult> SendUdp { get; } = new("send-udp", () => SkBuffProofs.SendUdp(), "experiments/send-udp.json");

    public static Run<SendPathResult> SendSyn { get; } = new("send-syn", () => SkBuffProofs.SendSyn(), "experiments/send-syn.json");

    public static Run<LifecycleResult> Lifecycle { get; } = new("lifecycle", () => Experiments.Lifecycle(), "experiments/lifecycle.json");

    public static Run<ReusePortResult> ReusePort { get; } = new("reuseport", () => Experiments.ReusePort(listeners: 4, connections: 200), "experiments/reuseport.json");

    /// <summary>The default receive buffer, then 8 KiB: saved as a list (the shape data/ holds).</summary>
    public static Run<List<BuffersResult>> Buffers { get; } = new("buffers", () => [Experiments.Buffers(), Experiments.Buffers(receiveBuffer: 8192)], "experiments/buffers.json");

    public static Run<BuffersResult> BuffersNonBlocking { get; } = new("buffers-nonblocking", () => Experiments.Buffers(nonBlocking: true, duration: TimeSpan.FromSeconds(0.5)), "experiments/buffers-nonblocking.json");

    public static Run<CloseResult> Close { get; } = new("close", () => Experiments.Close(), "experiments/close.json");

    public static Run<SeedFlowTrace> SeedFlow { get; } = new("seed-flow-trace", () => Experiments.SeedFlow(), "experiments/seed-flow-trace.json");

    public static Run<AcceptTimingResult> AcceptLater { get; } = new("accept-later", () => Experiments.AcceptLater(), "experiments/accept-later.json");

    public static Run<SocketTypesResult> SocketTypes { get; } = new("socket-types", () => Experiments.SocketTypes(), "experiments/socket-types.json");

    public static Run<ServerDescriptorsResult> ServerDescriptors { get; } = new("server-descriptors", () => Experiments.ServerDescriptors(3), "experiments/server-descriptors.json");

    public static Run<FramingResult> Framing { get; } = new("framing", () => Experiments.Framing(), "experiments/framing.json");

    public static Run<AbortiveCloseResult> AbortiveClose { get; } = new("abortive-close", () => Experiments.AbortiveClose(), "experiments/abortive-close.json");

    public static Run<BoundariesResult> Boundaries { get; } = new("boundaries", () => Experiments.Boundaries(), "experiments/boundaries.json");

    /// <summary>How many of 1000 datagrams over loopback arrived out of order.</summary>
    public static Run<int> LoopbackOrder { get; } = new("loopback-order", () => LoopbackOutOfOrder(1000), "experiments/loopback-order.json");

    public static Run<UdpDropsResult> UdpDrops { get; } = new("udp-drops", () => Experiments.UdpDrops([10, 50, 100, 200, 400], [4096, 65536]), "experiments/udp-drops.json");

    public static Run<UnixSocketsSnapshot> UnixSocketsSnapshot { get; } = new("unix-sockets", () => UnixSockets.Snapshot(), "experiments/unix-sockets.json");

    public static Run<StaleSocketFile> UnixStaleFile { get; } = new("unix-stale-file", () => UnixSockets.StaleFile(), "experiments/unix-stale-file.json");

    public static Run<UnixReliabilityResult> UnixReliability { get; } = new("unix-reliability", () => UnixDatagramReliability(400), "experiments/unix-reliability.json");

    public static Run<DescriptorPassingResult> UnixPassDescriptor { get; } = new("unix-pass-descriptor", () => UnixSockets.PassDescriptor(), "experiments/unix-pass-descriptor.json");

    public static Run<StreamTypesResult> UnixStreamTypes { get; } = new("unix-stream-types", () => UnixSockets.StreamTypes(), "experiments/unix-stream-types.json");

    public static Run<SocketPermissionsResult> UnixPermissions { get; } = new("unix-permissions", () => UnixSockets.Permissions(), "experiments/unix-permissions.json");

    public static Run<TwoHostsResult> TwoHosts { get; } = new("two-hosts", () => Experiments.TwoHosts(), "experiments/two-hosts.json");

    public static Run<LossyPathResult> LossyPath { get; } = new("lossy-path", () => Experiments.LossyPath(lossPercent: 10), "experiments/lossy-path.json");

    public static Run<LossyPathResult> ReorderingPath { get; } = new("reordering-path", () => Experiments.LossyPath(lossPercent: 0, reorderPercent: 10), "experiments/reordering-path.json");

    public static Run<SharedPortResult> SharedPort { get; } = new("shared-port", () => Experiments.SharedPort(clients: 4), "experiments/shared-port.json");

    public static Run<ManyClientsResult> ManyClients { get; } = new("many-clients", () => Experiments.ManyClients([1, 10, 100, 1000]), "experiments/many-clients.json");

    /// <summary>iperf3 and the course's own measurement, alternating: three rounds of 1 s each (tools/setup.sh installs iperf3).</summary>
    public static Run<Iperf3Comparison> Iperf3Tcp { get; } = new("iperf3-tcp", () => Iperf3Run.Tcp(rounds: 3, seconds: 1), "benchmarks/throughput-vs-iperf3.json");

    public static Run<Iperf3Comparison> Iperf3Udp { get; } = new("iperf3-udp", () => Iperf3Run.Udp(rounds: 3, seconds: 1), "benchmarks/udp-vs-iperf3.json");

    // Live only: each watches timing or another process as it happens.

    public static LiveRun<ListenerInfoResult> ListenerInfo { get; } = new("listener-info", () => SockDiagViews.ListenerInfo(backlog: 4, waiting: 2),
        "sock_diag's view of a listener asks the live kernel");

    public static LiveRun<FinAckResult> FinAck { get; } = new("fin-ack", () => Experiments.FinAck().Require(),
        "the delayed ACK can only be watched live");

    public static LiveRun<ReusePortRestartResult> ReusePortRestart { get; } = new("reuseport-restart", () => Experiments.ReusePortRestart().Require(),
        "this restart can only be tried live");

    public static LiveRun<PortSharedResult> PortShared { get; } = new("port-shared", () => Experiments.ReusePortSharedByAnotherProcess(connections: 40).Require(),
        "the second process can only be watched live");

    /// <summary>Every recorded run, in the order declared above.</summary>
    public static IReadOnlyList<IRun> All => Declared<IRun>();

    /// <summary>Every run a chapter shows only live.</summary>
    public static IReadOnlyList<ILiveRun> LiveOnly => Declared<ILiveRun>();

    private static List<TRun> Declared<TRun>() =>
        [.. typeof(Runs).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => typeof(TRun).IsAssignableFrom(p.PropertyType))
            .OrderBy(p => p.MetadataToken)
            .Select(p => (TRun)p.GetValue(null)!)];

    // The capture's own text, with a line saying where and when it was made (taking it apart skips '#' lines).
    private static void SaveCapture(ReceivePathResult result, string relativePath)
    {
        var lines = result.ToRecording().Split('\n', 2);
        string made = $"# captured by SkBuffProofs.ReceivePath() on {RecordingLabel.LiveKernel() ?? "an unknown kernel"}, "
            + $"{DateTime.UtcNow:yyyy-MM-dd}, on the loopback of a fresh network namespace (whole frames, hex)";
        File.WriteAllText(Path.Combine(Recordings.DataFolder, relativePath), $"{lines[0]}\n{made}\n{lines[1]}");
    }
}

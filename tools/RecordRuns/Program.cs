using NetIpc;
using static NetIpc.Experiments.Experiments;

// Usage: dotnet run --project tools/RecordRuns   (on Linux; the namespace experiments run wherever
// Capabilities finds a way — this process, or a child in a user namespace — and stop it otherwise)
if (IsolatedExperiment.All.FirstOrDefault(e => !e.Route.CanRun) is { } blocked)
{
    Console.Error.WriteLine($"cannot record {blocked.Name}: {blocked.Route.WhyNot}");
    return 2;
}
int[] backlogs = [0, 2, 4];
Recordings.Save(backlogs.Select(b => AcceptQueue(b, clients: 8)).ToList(), "experiments/accept-queue.json");
Recordings.Save(AcceptQueue(backlog: 8, clients: 6, somaxconn: 2), "experiments/accept-queue-somaxconn.json");
Recordings.Save(SynQueueWithAndWithoutCookies(backlog: 4, syns: 20), "experiments/syn-queue.json");
Recordings.Save(Lifecycle(), "experiments/lifecycle.json");
Recordings.Save(ReusePort(listeners: 4, connections: 200), "experiments/reuseport.json");
Recordings.Save(new[] { (int?)null, 8192 }.Select(rcv => Buffers(receiveBuffer: rcv)).ToList(), "experiments/buffers.json");
Recordings.Save(Buffers(nonBlocking: true, duration: TimeSpan.FromSeconds(0.5)), "experiments/buffers-nonblocking.json");
Recordings.Save(Close(), "experiments/close.json");
Recordings.Save(Boundaries(), "experiments/boundaries.json");
Recordings.Save(UdpDrops([10, 50, 100, 200, 400], [4096, 65536]), "experiments/udp-drops.json");
Recordings.Save(NetIpc.Experiments.UnixSockets.Snapshot(), "experiments/unix-sockets.json");
Recordings.Save(NetIpc.Experiments.UnixSockets.StaleFile(), "experiments/unix-stale-file.json");
Recordings.Save(UnixDatagramReliability(400), "experiments/unix-reliability.json");
Recordings.Save(TwoHosts(), "experiments/two-hosts.json");
Recordings.Save(LossyPath(), "experiments/lossy-path.json");
Recordings.Save(LossyPath(lossPercent: 0, reorderPercent: 10), "experiments/reordering-path.json");
Console.WriteLine($"recorded under {Recordings.DataFolder}/experiments");
return 0;

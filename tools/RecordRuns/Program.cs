using NetIpc;
using NetIpc.Experiments;
using static NetIpc.Experiments.Experiments;

// Usage: dotnet run --project tools/RecordRuns [-- name ...]   (on Linux). Records every run below, or
// only those named (e.g. send-udp). The namespace experiments run wherever Capabilities finds a way —
// this process, or a child in a user namespace — and the tool stops where neither works.
var runs = new (string Name, Action Record)[]
{
    ("accept-queue", () => Recordings.Save(new[] { 0, 2, 4 }.Select(b => AcceptQueue(b, clients: 8)).ToList(), "experiments/accept-queue.json")),
    ("accept-queue-backlog-3", () => Recordings.Save(AcceptQueue(backlog: 3, clients: 8), "experiments/accept-queue-backlog-3.json")),
    ("accept-queue-somaxconn", () => Recordings.Save(AcceptQueue(backlog: 8, clients: 6, somaxconn: 2), "experiments/accept-queue-somaxconn.json")),
    ("syn-resends", () => Recordings.Save(SynResends(), "experiments/syn-resends.json")),
    ("accept-overflow", () => Recordings.Save(AcceptOverflow(backlog: 1), "experiments/accept-overflow.json")),
    ("accept-overflow-abort", () => Recordings.Save(AcceptOverflow(backlog: 1, abortOnOverflow: true), "experiments/accept-overflow-abort.json")),
    ("syn-queue", () => Recordings.Save(SynQueueWithAndWithoutCookies(backlog: 4, syns: 20), "experiments/syn-queue.json")),
    ("send-udp", () => Recordings.Save(SkBuffProofs.SendUdp(), "experiments/send-udp.json")),
    ("send-syn", () => Recordings.Save(SkBuffProofs.SendSyn(), "experiments/send-syn.json")),
    ("lifecycle", () => Recordings.Save(Lifecycle(), "experiments/lifecycle.json")),
    ("reuseport", () => Recordings.Save(ReusePort(listeners: 4, connections: 200), "experiments/reuseport.json")),
    ("buffers", () => Recordings.Save(new[] { (int?)null, 8192 }.Select(rcv => Buffers(receiveBuffer: rcv)).ToList(), "experiments/buffers.json")),
    ("buffers-nonblocking", () => Recordings.Save(Buffers(nonBlocking: true, duration: TimeSpan.FromSeconds(0.5)), "experiments/buffers-nonblocking.json")),
    ("close", () => Recordings.Save(Close(), "experiments/close.json")),
    ("seed-flow-trace", () => Recordings.Save(SeedFlow(), "experiments/seed-flow-trace.json")),
    ("accept-later", () => Recordings.Save(AcceptLater(), "experiments/accept-later.json")),
    ("socket-types", () => Recordings.Save(SocketTypes(), "experiments/socket-types.json")),
    ("server-descriptors", () => Recordings.Save(ServerDescriptors(3), "experiments/server-descriptors.json")),
    ("framing", () => Recordings.Save(Framing(), "experiments/framing.json")),
    ("abortive-close", () => Recordings.Save(AbortiveClose(), "experiments/abortive-close.json")),
    ("boundaries", () => Recordings.Save(Boundaries(), "experiments/boundaries.json")),
    ("loopback-order", () => Recordings.Save(LoopbackOutOfOrder(1000), "experiments/loopback-order.json")),
    ("udp-drops", () => Recordings.Save(UdpDrops([10, 50, 100, 200, 400], [4096, 65536]), "experiments/udp-drops.json")),
    ("unix-sockets", () => Recordings.Save(UnixSockets.Snapshot(), "experiments/unix-sockets.json")),
    ("unix-stale-file", () => Recordings.Save(UnixSockets.StaleFile(), "experiments/unix-stale-file.json")),
    ("unix-reliability", () => Recordings.Save(UnixDatagramReliability(400), "experiments/unix-reliability.json")),
    ("unix-pass-descriptor", () => Recordings.Save(UnixSockets.PassDescriptor(), "experiments/unix-pass-descriptor.json")),
    ("unix-stream-types", () => Recordings.Save(UnixSockets.StreamTypes(), "experiments/unix-stream-types.json")),
    ("unix-permissions", () => Recordings.Save(UnixSockets.Permissions(), "experiments/unix-permissions.json")),
    ("two-hosts", () => Recordings.Save(TwoHosts(), "experiments/two-hosts.json")),
    ("lossy-path", () => Recordings.Save(LossyPath(), "experiments/lossy-path.json")),
    ("reordering-path", () => Recordings.Save(LossyPath(lossPercent: 0, reorderPercent: 10), "experiments/reordering-path.json")),
    ("shared-port", () => Recordings.Save(SharedPort(clients: 4), "experiments/shared-port.json")),
    ("many-clients", () => Recordings.Save(ManyClients([1, 10, 100, 1000]), "experiments/many-clients.json")),
};
if (args.FirstOrDefault(a => runs.All(r => r.Name != a)) is { } unknown)
{
    Console.Error.WriteLine($"no run named '{unknown}'; known: {string.Join(", ", runs.Select(r => r.Name))}");
    return 2;
}
if (IsolatedExperiment.All.FirstOrDefault(e => !e.Route.CanRun) is { } blocked)
{
    Console.Error.WriteLine($"cannot record {blocked.Name}: {blocked.Route.WhyNot}");
    return 2;
}
foreach (var run in runs.Where(r => args.Length == 0 || args.Contains(r.Name)))
{
    run.Record();
    Console.WriteLine($"recorded {run.Name}");
}
Console.WriteLine($"under {Recordings.DataFolder}/experiments");
return 0;

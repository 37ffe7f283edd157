using NetIpc;
using NetIpc.Isolation;

// Usage: dotnet run --project tools/RecordRuns [-- name ...]   (on Linux). Records every run of Runs.All
// (lib/NetIpc/Runs.cs), or only those named (e.g. send-udp). The namespace experiments run wherever
// Capabilities finds a way — this process, or a child in a user namespace — and the tool stops where neither works.
var runs = Runs.All;
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
    Console.WriteLine($"recorded {run.Name} into data/{run.Recording}");
}
Console.WriteLine($"under {Recordings.DataFolder}");
return 0;

using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;
using Xunit.Abstractions;

namespace NotebookRunner.Tests;

/// <summary>
/// A kernel kept open for a lesson (VS Code, an instructor) sees "Run All" on every chapter, and then
/// again: the second time must work, and must not leave the kernel holding more than the first did.
/// </summary>
[Collection(WholeCourse.Collection)]
public class RunAllTwiceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Threads the second run may add. The kernel's own threads do not grow, but the thread pool's count
    /// is its own decision: it injects a thread each half second a work item waits (the chapters block
    /// pool threads in experiments), and retires idle ones only after about 20 s. Four is two cores'
    /// worth of injections more than the pool's floor (min threads = cores); a leaked thread per chapter
    /// would be fifteen.
    /// </summary>
    private const int ThreadPoolTolerance = 4;

    /// <summary>How long an idle pool worker lives (the runtime's ThreadPool_ThreadTimeoutMs, 20 s), and a little more.</summary>
    private static readonly TimeSpan ThreadPoolIdleTimeout = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Descriptors the second run may add: none of sockets (each chapter closes what it opens), and two
    /// of others, for runtime internals that one run may reach and the other not (an eventfd or epoll
    /// instance of a thread pool grown by one). Framework assemblies are not counted: the runtime keeps
    /// a loaded assembly's file open for the life of the process, loads it once, and a second run may
    /// be the first to reach a code path that needs one (seen: System.Net.NameResolution and
    /// System.Collections.NonGeneric, two descriptors each); the same file opened again would be.
    /// </summary>
    private const int OtherDescriptorTolerance = 2;

    private static readonly TimeSpan CellLimit = TimeSpan.FromMinutes(3);

    [Fact, Trait("Category", WholeCourse.Category)]
    public async Task Every_chapter_run_twice_in_one_kernel_passes_and_holds_no_more_descriptors_sockets_or_threads()
    {
        var (command, workingDirectory) = CourseKernelTests.LaunchFromVSCodeSettings(notebookFolder: CourseLayout.Notebooks);
        using var connector = new StdIoKernelConnector(command, "course", new Uri("kernel://run-all-twice-test"), new DirectoryInfo(workingDirectory));
        using var csharp = await NotebookRunner.KernelProcess.ConnectAsync(connector, "csharp");
        int pid = connector.ProcessId!.Value;

        var baseline = Usage.Of(pid);
        var first = await RunAllAsync(csharp);
        Assert.True(first.Count == 0, "the first Run All failed:\n" + string.Join("\n", first));
        var afterFirst = await SettledUsageAsync(pid);
        var second = await RunAllAsync(csharp);
        var afterSecond = await SettledUsageAsync(pid);
        if (afterSecond.Threads > afterFirst.Threads + ThreadPoolTolerance)
        {
            // Pool workers injected during the second run are still there, idle, for the pool's idle timeout
            // (20 s): measure again once it has passed. A leaked thread stays.
            await Task.Delay(ThreadPoolIdleTimeout);
            afterSecond = await SettledUsageAsync(pid);
        }

        output.WriteLine($"kernel started: {baseline}");
        output.WriteLine($"after run 1:    {afterFirst}");
        output.WriteLine($"after run 2:    {afterSecond}");
        output.WriteLine("open after run 2, not after run 1: " + Difference(afterSecond.Targets, afterFirst.Targets));
        output.WriteLine("open after run 1, not after run 2: " + Difference(afterFirst.Targets, afterSecond.Targets));
        string moreThreads = Difference(afterSecond.ThreadNames, afterFirst.ThreadNames);
        output.WriteLine("threads after run 2, not after run 1: " + moreThreads);
        Assert.True(second.Count == 0, "the second Run All failed:\n" + string.Join("\n", second));
        Assert.True(afterSecond.Sockets <= afterFirst.Sockets,
            $"sockets grew: {afterFirst.Sockets} after run 1, {afterSecond.Sockets} after run 2\n{afterSecond.SocketList}");
        var newAssemblies = afterSecond.FrameworkFiles.Except(afterFirst.FrameworkFiles).ToList();
        int newAssemblyDescriptors = afterSecond.Targets.Count(newAssemblies.Contains);
        Assert.True(afterSecond.Descriptors - afterSecond.Sockets - newAssemblyDescriptors <= afterFirst.Descriptors - afterFirst.Sockets + OtherDescriptorTolerance,
            $"descriptors grew: {afterFirst} after run 1, {afterSecond} after run 2, of which {newAssemblyDescriptors} are framework assemblies loaded for the first time");
        Assert.True(afterSecond.Threads <= afterFirst.Threads + ThreadPoolTolerance,
            $"threads grew: {afterFirst.Threads} after run 1, {afterSecond.Threads} after run 2; more of: {moreThreads}");
    }

    /// <summary>What a descriptor points to, kind by kind ("anon_inode:[eventfd] ×2"), that <paramref name="a"/> has more of than <paramref name="b"/>.</summary>
    private static string Difference(IEnumerable<string> a, IEnumerable<string> b)
    {
        static string Kind(string target) => target.StartsWith('/') ? target : System.Text.RegularExpressions.Regex.Replace(target, @"\[\d+\]$", "[…]");
        var fewer = b.GroupBy(Kind).ToDictionary(g => g.Key, g => g.Count());
        return string.Join(", ", a.GroupBy(Kind)
            .Select(g => (g.Key, More: g.Count() - fewer.GetValueOrDefault(g.Key)))
            .Where(k => k.More > 0)
            .Select(k => $"{k.Key} ×{k.More}"));
    }

    /// <summary>Every code cell of every chapter, in order; returns the failures ("chapter, cell n: message").</summary>
    private async Task<List<string>> RunAllAsync(Kernel kernel)
    {
        var failures = new List<string>();
        foreach (var chapter in Directory.EnumerateFiles(CourseLayout.Notebooks, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var cells = JsonNode.Parse(File.ReadAllText(chapter))!["cells"]!.AsArray();
            for (int i = 0; i < cells.Count; i++)
            {
                if ((string)cells[i]!["cell_type"]! != "code") continue;
                var code = string.Concat(cells[i]!["source"]!.AsArray().Select(l => (string)l!));
                var submission = kernel.SendAsync(new SubmitCode(code));
                if (await Task.WhenAny(submission, Task.Delay(CellLimit)) != submission)
                    throw new TimeoutException($"{Path.GetFileName(chapter)}, cell {i + 1} still running after {CellLimit}");
                var failed = (await submission).Events.OfType<CommandFailed>().FirstOrDefault();
                if (failed is not null)
                    failures.Add($"{Path.GetFileName(chapter)}, cell {i + 1}: {failed.Message}");
            }
        }
        return failures;
    }

    /// <summary>
    /// The counts once a closing socket's last reference and a finishing experiment's threads are gone:
    /// sampled each half second until two samples in a row agree (at most 10 s).
    /// </summary>
    private static async Task<Usage> SettledUsageAsync(int pid)
    {
        var last = Usage.Of(pid);
        for (int i = 0; i < 20; i++)
        {
            await Task.Delay(500);
            var now = Usage.Of(pid);
            if (now.Descriptors == last.Descriptors && now.Sockets == last.Sockets && now.Threads == last.Threads) return now;
            last = now;
        }
        return last;
    }

    private sealed record Usage(int Descriptors, int Sockets, int Threads, string SocketList, IReadOnlyList<string> Targets, IReadOnlyList<string> ThreadNames)
    {
        public static Usage Of(int pid)
        {
            var sockets = new List<string>();
            var targets = new List<string>();
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                string? target;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (IOException)
                {
                    continue; // closed while the folder was listed
                }
                targets.Add(target ?? "?");
                if (target?.StartsWith("socket:[", StringComparison.Ordinal) == true) sockets.Add($"fd {Path.GetFileName(fd)} -> {target}");
            }
            // Each thread's name (comm: ".NET TP Worker", ".NET Sockets" …), so that a growth says whose threads grew.
            var names = new List<string>();
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try { names.Add(File.ReadAllText(Path.Combine(task, "comm")).Trim()); }
                catch (IOException) { } // ended while the folder was listed
            }
            return new Usage(targets.Count, sockets.Count, names.Count, string.Join("\n", sockets), targets, names);
        }

        /// <summary>Distinct files of the shared framework (System.*.dll) held open.</summary>
        public IReadOnlySet<string> FrameworkFiles { get; } =
            Targets.Where(t => t.StartsWith(RuntimeDirectory, StringComparison.Ordinal)).ToHashSet();

        // The kernel runs on the same dotnet as the tests ("dotnet" from PATH, as VS Code's {dotnet_path}).
        private static readonly string RuntimeDirectory = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();

        public override string ToString() => $"{Descriptors} descriptors ({Sockets} sockets), {Threads} threads";
    }
}

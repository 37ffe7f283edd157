using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NetIpc.Notebooks.Tests;

/// <summary>
/// The registry of runs (lib/NetIpc/Runs.cs), the chapters and data/ held to each other: a chapter reaches a
/// recording only through the registry, every entry's recording is there and loads, and every entry is used.
/// </summary>
public partial class RunsRegistryTests
{
    /// <summary>
    /// Entries no chapter uses, each with why it is kept. Empty: every run is some chapter's. An entry kept for
    /// another reason (a test-only run, say) goes here with that reason, or the test fails.
    /// </summary>
    private static readonly Dictionary<string, string> UnusedOnPurpose = [];

    /// <summary>Each registry property (its C# name, as chapters write Runs.X) and its entry.</summary>
    private static IReadOnlyList<(string Property, string Name)> Entries { get; } =
    [
        .. typeof(Runs).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Select(p => (p.Name, Value: p.GetValue(null)))
            .Where(p => p.Value is IRun or ILiveRun)
            .Select(p => (p.Name, p.Value is IRun run ? run.Name : ((ILiveRun)p.Value!).Name)),
    ];

    /// <summary>Every code cell of every chapter: its notebook, its id and its source.</summary>
    internal static IEnumerable<(string Notebook, string Id, string Code)> CodeCells()
    {
        string folder = Path.Combine(Path.GetDirectoryName(Recordings.DataFolder)!, "notebooks");
        foreach (string file in Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            using var notebook = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var cell in notebook.RootElement.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code"))
            {
                yield return (Path.GetFileName(file), cell.GetProperty("id").GetString()!,
                    string.Concat(cell.GetProperty("source").EnumerateArray().Select(l => l.GetString())));
            }
        }
    }

    [GeneratedRegex(@"""experiments/[^""]*\.json""")]
    private static partial Regex RawExperimentPath();

    [GeneratedRegex(@"Measured\.LiveOr\s*\(\s*(?!Runs\.)")]
    private static partial Regex LiveOrWithoutRegistry();

    [Fact]
    public void The_registry_lists_every_recorded_run_in_data_experiments()
    {
        Assert.True(Runs.All.Count >= 30, $"only {Runs.All.Count} runs in the registry");
        var recorded = Directory.GetFiles(Path.Combine(Recordings.DataFolder, "experiments"), "*.json")
            .Select(f => "experiments/" + Path.GetFileName(f));
        Assert.Empty(recorded.Except(Runs.All.Select(r => r.Recording)));
    }

    [Fact]
    public void Names_and_recordings_are_unique()
    {
        Assert.Empty(Entries.GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(Runs.All.GroupBy(r => r.Recording).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(Entries, e => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", e.Name));
    }

    [Fact]
    public void Every_recording_exists_under_data_and_loads_as_its_type()
    {
        Assert.All(Runs.All, run =>
        {
            Assert.True(File.Exists(Path.Combine(Recordings.DataFolder, run.Recording)), $"{run.Name}: data/{run.Recording} is missing");
            Assert.IsAssignableFrom(run.ResultType, run.LoadRecorded());
        });
    }

    [Fact]
    public void No_chapter_reaches_a_recording_but_through_the_registry()
    {
        var paths = Runs.All.Select(r => r.Recording).ToList();
        var offending = CodeCells()
            .Where(c => RawExperimentPath().IsMatch(c.Code) || LiveOrWithoutRegistry().IsMatch(c.Code) || paths.Any(p => c.Code.Contains(p, StringComparison.Ordinal)))
            .Select(c => $"{c.Notebook} cell {c.Id}: {c.Code}");
        Assert.Empty(offending);
    }

    [Fact]
    public void Every_entry_is_used_by_a_chapter_or_says_why_not()
    {
        string code = string.Join("\n", CodeCells().Select(c => c.Code));
        var unused = Entries.Where(e => !Regex.IsMatch(code, $@"\bRuns\.{e.Property}\b") && !UnusedOnPurpose.ContainsKey(e.Name)).Select(e => e.Name);
        Assert.Empty(unused);
        // A reason for an entry that is used after all is stale.
        var stale = UnusedOnPurpose.Keys.Where(name => Entries.Any(e => e.Name == name && Regex.IsMatch(code, $@"\bRuns\.{e.Property}\b"))).ToList();
        Assert.True(stale.Count == 0, $"kept as unused, but a chapter uses them: {string.Join(", ", stale)}");
    }
}

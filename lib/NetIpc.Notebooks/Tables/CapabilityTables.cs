using System.Text.RegularExpressions;
using Microsoft.Data.Analysis;
using NetIpc.Isolation;

namespace NetIpc.Notebooks.Tables;

/// <summary>Chapter 00's tables: what this process may do, and how each chapter's experiments will run here.</summary>
public static partial class CapabilityTables
{
    /// <summary>
    /// Every capability as tried in this process and, when this process lacks one, as tried by a child
    /// process inside a user namespace of its own (the way the experiments then run).
    /// </summary>
    public static DataFrame Probed()
    {
        var here = Capabilities.Here;
        bool childNeeded = here.Any(p => !p.Allowed && p.Capability != Capability.ProcNet);
        var child = childNeeded ? Capabilities.InUserNamespace : null;
        string InChild(Capability c) =>
            child is null ? "not needed: this process may do it all"
            : child.Probes is null ? "no: none could start (the line below says why)"
            : child.Probes.First(p => p.Capability == c) is var p && p.Allowed ? "yes" : $"no: {p.Outcome}";
        return new DataFrame(
            new StringDataFrameColumn("capability", here.Select(p => p.Capability.ToString())),
            new StringDataFrameColumn("tried", here.Select(p => p.Tried)),
            new StringDataFrameColumn("this process", here.Select(p => p.Allowed ? "yes" : $"no: {p.Outcome}")),
            new StringDataFrameColumn("a child in a user namespace of its own", here.Select(p => InChild(p.Capability))));
    }

    /// <summary>One row per chapter: live in this process, live in a child process, or which experiments will show recordings and why.</summary>
    public static DataFrame Chapters()
    {
        var chapters = ChapterFiles();
        var experiments = IsolatedExperiment.All;
        var procNet = Capabilities.Of(Capability.ProcNet);
        string How(string number)
        {
            if (!procNet.Allowed)
            {
                return $"recorded: {procNet.Outcome}";
            }
            var mine = experiments.Where(e => e.Chapter == number).Select(e => (e.Name, e.Route)).ToList();
            if (mine.Count == 0)
            {
                return "live: ordinary sockets and /proc/net";
            }
            var missing = mine.Where(m => !m.Route.CanRun).ToList();
            if (missing.Count > 0)
            {
                var route = missing[0].Route;
                string why = route.Blocked is string blocked ? $"{blocked} (see above)" : route.Description;
                return $"recorded for {string.Join(", ", missing.Select(m => m.Name))}: {why}";
            }
            var children = mine.Where(m => m.Route.Kind == RouteKind.UserNamespaceChild).Select(m => m.Name).ToList();
            return children.Count == 0
                ? $"live, in this process ({string.Join(", ", mine.Select(m => m.Name))})"
                : $"live; {string.Join(", ", children)} in a child process inside a user namespace of its own";
        }
        return new DataFrame(
            new StringDataFrameColumn("chapter", chapters.Select(c => c.Title)),
            new StringDataFrameColumn("needs beyond ordinary sockets", chapters.Select(c =>
                string.Join("; ", experiments.Where(e => e.Chapter == c.Number).Select(e => $"{e.Name}: {string.Join(", ", e.Needs)}")) is { Length: > 0 } n ? n : "nothing")),
            new StringDataFrameColumn("how it runs here", chapters.Select(c => How(c.Number))));
    }

    /// <summary>The chapters beside data/ (notebooks/NN-title.ipynb), so the table lists exactly what the course holds.</summary>
    private static List<(string Number, string Title)> ChapterFiles() =>
        Directory.GetFiles(Path.Combine(Recordings.CourseRoot, "notebooks"), "*.ipynb")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => ChapterName().Match(name!))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, $"{m.Groups[1].Value} {m.Groups[2].Value.Replace('-', ' ')}"))
            .OrderBy(c => c.Item1, StringComparer.Ordinal)
            .ToList();

    [GeneratedRegex(@"^(\d\d)-(.+)$")]
    private static partial Regex ChapterName();
}

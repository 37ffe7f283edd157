using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Documents;

namespace NotebookRunner;

/// <summary>
/// Makes outputs stable and anonymous before they are written: identifiers the formatters invent
/// afresh on every run (GUIDs for chart divs, random table ids) become numbered in order of first
/// appearance within the notebook, and paths of the machine that ran it are replaced by a name.
/// Measurements are left alone: they are supposed to change.
/// </summary>
internal sealed partial class OutputScrubber(IReadOnlyList<(string Path, string Replacement)> paths)
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>The course root and the home directory, longest first so the most specific wins.</summary>
    public static OutputScrubber ForMachine(string courseRoot)
    {
        var paths = new List<(string, string)> { (Path.TrimEndingDirectorySeparator(Path.GetFullPath(courseRoot)), "<course>") };
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 1) paths.Add((Path.TrimEndingDirectorySeparator(home), "~"));
        return new OutputScrubber(paths.OrderByDescending(p => p.Item1.Length).ToList());
    }

    // A GUID with dashes, in either case.
    [GeneratedRegex(@"(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])", RegexOptions.IgnoreCase)]
    private static partial Regex DashedGuid();

    // A GUID without dashes, as .NET writes it ("N": lowercase, so with at least one letter a–f). An IPv6
    // address in /proc/net/tcp6 is also 32 hex digits, but the kernel prints it in uppercase (or digits
    // only, like ::1), and kernel output must be shown as printed.
    [GeneratedRegex(@"(?<![0-9A-Fa-f])(?=[0-9a-f]{0,31}[a-f])[0-9a-f]{32}(?![0-9A-Fa-f])")]
    private static partial Regex BareGuid();

    // Microsoft.Data.Analysis names each table table_<number> with a number drawn afresh per
    // display, and repeats the number in its paging script.
    [GeneratedRegex(@"\btable_(?<id>\d+)\b")]
    private static partial Regex TableId();

    public string Scrub(string text)
    {
        foreach (var (path, replacement) in paths)
            text = text.Replace(path, replacement, StringComparison.Ordinal);
        text = DashedGuid().Replace(text, m => $"00000000-0000-4000-8000-{Number("guid " + m.Value.Replace("-", "").ToLowerInvariant()):x12}");
        return BareGuid().Replace(text, m => $"{Number("guid " + m.Value):x32}");
    }

    public string ScrubTableIds(string html)
    {
        foreach (var id in TableId().Matches(html).Select(m => m.Groups["id"].Value).Distinct().ToList())
        {
            if (id.Length < 6) continue; // already stable, or too short to replace safely
            html = Regex.Replace(html, $@"(?<!\d){id}(?!\d)", Number("table " + id).ToString());
        }
        return html;
    }

    public void Scrub(InteractiveDocumentOutputElement output)
    {
        switch (output)
        {
            case DisplayElement display: ScrubData(display.Data); break;
            case ReturnValueElement result: ScrubData(result.Data); break;
        }
    }

    public TextElement Scrub(TextElement text) => new(Scrub(text.Text), text.Name);

    public ErrorElement Scrub(ErrorElement error) => new(error.ErrorName, Scrub(error.ErrorValue), error.StackTrace.Select(Scrub).ToArray());

    private void ScrubData(IDictionary<string, object> data)
    {
        foreach (var mime in data.Keys.ToList())
        {
            if (data[mime] is not string value) continue;
            value = Scrub(value);
            if (mime == "text/html") value = ScrubTableIds(value);
            data[mime] = value;
        }
    }

    /// <summary>The same original always gets the same number; numbers count up in order of first appearance.</summary>
    private int Number(string original)
    {
        if (!_ids.TryGetValue(original, out var number))
            _ids[original] = number = _ids.Count + 1;
        return number;
    }
}

using System.Collections;
using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;

namespace NotebookRunner;

/// <summary>A code cell whose committed outputs showed a live run and whose fresh outputs show a recording.</summary>
internal sealed record Downgrade(int CellNumber, string FirstLine);

/// <summary>
/// Tells a live measurement from a labelled recording in a cell's outputs. The runner must not let a
/// machine that cannot run an experiment (not root, no namespaces) quietly replace a live output that
/// was committed with a recording.
/// </summary>
internal static class Provenance
{
    /// <summary>
    /// What every recording the library shows says about itself (<see cref="NetIpc.RecordedMarkers"/>, the file the
    /// library compiles too): NetIpc's <c>Recording&lt;T&gt;.Label</c> starts "RECORDED on &lt;date&gt; with &lt;kernel&gt;",
    /// and the sources of the experiments that fall back to data/ where this machine has no /proc/net say
    /// "RECORDED, not this machine: …". <c>LiveOutputsTests</c> run them against the library's real label.
    /// </summary>
    public static IReadOnlyList<string> RecordedMarkers => NetIpc.RecordedMarkers.All;

    public static bool IsRecorded(IEnumerable<InteractiveDocumentOutputElement> outputs) =>
        outputs.Any(o => RecordedMarkers.Any(marker => TextOf(o).Contains(marker, StringComparison.Ordinal)));

    /// <summary>
    /// Which cells show a live run now, by position; taken before a run replaces the outputs. A cell
    /// without outputs (never run, e.g. a new chapter) has nothing live to lose.
    /// </summary>
    public static bool[] LiveCells(InteractiveDocument document) =>
        document.Elements.Select(cell => cell.Outputs.Count > 0 && !IsRecorded(cell.Outputs)).ToArray();

    /// <summary>
    /// Code cells, numbered as the failure report numbers them (every cell counts, markdown too), that
    /// were live before the run (<paramref name="liveBefore"/>) and show a recording after it.
    /// </summary>
    public static List<Downgrade> Downgrades(IReadOnlyList<bool> liveBefore, InteractiveDocument after)
    {
        var found = new List<Downgrade>();
        for (int i = 0; i < after.Elements.Count; i++)
        {
            var cell = after.Elements[i];
            if (liveBefore[i] && IsRecorded(cell.Outputs))
                found.Add(new Downgrade(i + 1, FirstLine(cell.Contents)));
        }
        return found;
    }

    /// <summary>Code cells, numbered as <see cref="Downgrades"/> numbers them, whose outputs show a recording.</summary>
    public static List<Downgrade> RecordedCells(InteractiveDocument document) =>
        document.Elements.Select((cell, i) => (cell, i))
            .Where(c => IsRecorded(c.cell.Outputs))
            .Select(c => new Downgrade(c.i + 1, FirstLine(c.cell.Contents)))
            .ToList();

    private static string FirstLine(string code) =>
        code.Split('\n').Select(l => l.TrimEnd()).FirstOrDefault(l => l.Length > 0) ?? "";

    private static string TextOf(InteractiveDocumentOutputElement output) => output switch
    {
        TextElement text => text.Text,
        ErrorElement error => error.ErrorValue,
        DisplayElement display => TextOf(display.Data),
        ReturnValueElement result => TextOf(result.Data),
        _ => "",
    };

    // Fresh outputs hold strings; outputs read back from a file may hold the serializer's JSON values
    // or lists of lines, depending on how the file spelled them.
    private static string TextOf(IDictionary<string, object> data) => string.Join("\n", data.Values.Select(TextOfValue));

    private static string TextOfValue(object? value) => value switch
    {
        null => "",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString() ?? "",
        JsonElement { ValueKind: JsonValueKind.Array } json => string.Concat(json.EnumerateArray().Select(e => TextOfValue(e))),
        JsonElement json => json.GetRawText(),
        IEnumerable items => string.Concat(items.Cast<object?>().Select(TextOfValue)),
        _ => value.ToString() ?? "",
    };
}

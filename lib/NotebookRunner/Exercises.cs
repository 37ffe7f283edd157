using System.Text.Json;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Microsoft.DotNet.Interactive.Documents;

namespace NotebookRunner;

/// <summary>Which answers fill a chapter's exercise cells when it runs.</summary>
internal enum Answers
{
    /// <summary>The cells as they are: a fresh clone's placeholders, or a learner's own answers.</summary>
    AsWritten,
    /// <summary>solutions/NN-*.md's <c>csharp solution</c> blocks: every exercise must come out ✓.</summary>
    Solutions,
    /// <summary>solutions/NN-*.md's <c>csharp wrong</c> blocks: every exercise must come out ✗.</summary>
    Wrong,
}

/// <summary>One exercise's outcome as the runner read it back from its cell's output.</summary>
internal sealed record ExerciseOutcome(string Notebook, string Id, string Title, string Verdict, string Line);

/// <summary>
/// The exercise cells of a chapter: code cells tagged <c>exercise</c> in their Jupyter metadata (the
/// convention Jupyter's tag editor and nbconvert's TagRemovePreprocessor use), each opening with
/// <c>// Exercise NN.K — title</c>. Their answers live apart, in solutions/NN-title.md.
/// </summary>
internal static partial class Exercises
{
    public const string Tag = "exercise";

    [GeneratedRegex(@"^//\s*Exercise\s+(\d+\.\d+)")]
    private static partial Regex CellHeading();

    [GeneratedRegex(@"^Exercise\s+(\d+\.\d+)\b")]
    private static partial Regex SectionHeading();

    // The line SelfCheck's ExerciseResult.ToString() writes: "✓ Exercise 05.1 (title): correct — …".
    [GeneratedRegex(@"^(✓|✗|○|\?) Exercise (\d+\.\d+) \((.*?)\): (correct|wrong|not answered yet|not checked)", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    public static bool IsExercise(InteractiveDocumentElement cell) =>
        cell.Metadata is { } metadata && metadata.TryGetValue("tags", out var tags) && tags is not null
        && JsonSerializer.SerializeToElement(tags) is { ValueKind: JsonValueKind.Array } array
        && array.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == Tag);

    /// <summary>The exercise id a cell's first line names, e.g. "05.1"; null when the learner removed the heading.</summary>
    public static string? IdOf(InteractiveDocumentElement cell) =>
        CellHeading().Match(cell.Contents.TrimStart()) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The solutions file of a chapter: solutions/NN-title.md beside notebooks/.</summary>
    public static string SolutionsFileOf(string notebookPath, string courseRoot) =>
        Path.Combine(courseRoot, "solutions", Path.GetFileNameWithoutExtension(notebookPath) + ".md");

    /// <summary>
    /// Fills every exercise cell with the chosen answer from the chapter's solutions file. Throws
    /// <see cref="NotebookFormatException"/> naming the file and the exercise when the two disagree: a cell with
    /// no answer, an answer with no cell, an exercise with both or neither block.
    /// </summary>
    public static void Substitute(InteractiveDocument document, string notebookPath, string courseRoot, Answers answers)
    {
        if (answers == Answers.AsWritten) return;
        string file = SolutionsFileOf(notebookPath, courseRoot);
        var blocks = ReadSolutions(file);
        var cells = document.Elements.Where(IsExercise).ToList();
        var ids = new HashSet<string>();
        foreach (var cell in cells)
        {
            string id = IdOf(cell) ?? throw new NotebookFormatException($"{notebookPath}: an exercise cell does not start with '// Exercise NN.K': {FirstLine(cell.Contents)}");
            ids.Add(id);
            if (!blocks.TryGetValue(id, out var block))
                throw new NotebookFormatException($"{file}: no section '## Exercise {id}' for the exercise cell in {Path.GetFileName(notebookPath)}");
            cell.Contents = answers == Answers.Solutions ? block.Solution : block.Wrong;
        }
        foreach (var id in blocks.Keys.Where(id => !ids.Contains(id)))
            throw new NotebookFormatException($"{file}: exercise {id} has no cell tagged '{Tag}' in {Path.GetFileName(notebookPath)}");
    }

    /// <summary>Each "## Exercise NN.K — …" section's <c>csharp solution</c> and <c>csharp wrong</c> blocks.</summary>
    public static Dictionary<string, (string Solution, string Wrong)> ReadSolutions(string file)
    {
        if (!File.Exists(file)) throw new NotebookFormatException($"{file}: no solutions file for this chapter");
        var markdown = Markdown.Parse(File.ReadAllText(file));
        var found = new Dictionary<string, (string? Solution, string? Wrong)>();
        string? current = null;
        foreach (var block in markdown)
        {
            if (block is HeadingBlock { Level: 2 } heading)
            {
                current = SectionHeading().Match(string.Concat(heading.Inline!.Select(i => i.ToString()))) is { Success: true } m ? m.Groups[1].Value : null;
                if (current is not null) found[current] = (null, null);
            }
            else if (block is FencedCodeBlock fenced && current is not null && fenced.Info == "csharp")
            {
                string code = fenced.Lines.ToString().Replace("\r\n", "\n");
                var (solution, wrong) = found[current];
                switch (fenced.Arguments)
                {
                    case "solution" when solution is null: found[current] = (code, wrong); break;
                    case "wrong" when wrong is null: found[current] = (solution, code); break;
                    case "solution" or "wrong": throw new NotebookFormatException($"{file}: exercise {current} has two '{fenced.Arguments}' blocks (line {fenced.Line + 1})");
                }
            }
        }
        var result = new Dictionary<string, (string, string)>();
        foreach (var (id, (solution, wrong)) in found)
        {
            if (solution is null || wrong is null)
                throw new NotebookFormatException($"{file}: exercise {id} needs a ```csharp solution block and a ```csharp wrong block");
            result[id] = (solution, wrong);
        }
        return result;
    }

    /// <summary>What each exercise cell of a run reported; a cell that printed no result line counts as not answered.</summary>
    public static List<ExerciseOutcome> Read(NotebookResult result) => Read(result.Path, result.Document);

    public static List<ExerciseOutcome> Read(string path, InteractiveDocument document)
    {
        string notebook = Path.GetFileNameWithoutExtension(path);
        var outcomes = new List<ExerciseOutcome>();
        foreach (var cell in document.Elements.Where(IsExercise))
        {
            var text = string.Join("\n", cell.Outputs.SelectMany(OutputText));
            var lines = ResultLine().Matches(text);
            if (lines.Count > 0)
            {
                outcomes.AddRange(lines.Select(m => new ExerciseOutcome(notebook, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Value)));
            }
            else
            {
                string id = IdOf(cell) ?? "?";
                string why = cell.Outputs.OfType<ErrorElement>().FirstOrDefault() is { } error
                    ? $"the cell failed: {FirstLine(error.ErrorValue)}"
                    : cell.ExecutionOrder == 0 ? "the cell did not run" : "the cell printed no result";
                outcomes.Add(new ExerciseOutcome(notebook, id, FirstLine(cell.Contents).TrimStart('/', ' '), "not answered yet", why));
            }
        }
        return outcomes;
    }

    private static IEnumerable<string> OutputText(InteractiveDocumentOutputElement output) => output switch
    {
        DisplayElement d when d.Data.TryGetValue("text/plain", out var t) => [t?.ToString() ?? ""],
        ReturnValueElement r when r.Data.TryGetValue("text/plain", out var t) => [t?.ToString() ?? ""],
        TextElement t => [t.Text],
        _ => [],
    };

    private static string FirstLine(string text) => text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
}

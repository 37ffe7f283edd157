using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookRunner.Tests;

/// <summary>
/// A chapter's code cells narrate and call, one step a line: the deciding, looping and computing is the
/// library's, where it is tested. Exercise cells (tagged "exercise") are the reader's and are left out.
/// </summary>
public class CellsNarrateTests
{
    /// <summary>Cells that keep logic, by "notebook#cell id", each with why.</summary>
    private static readonly Dictionary<string, string> Kept = new()
    {
        ["08-buffers.ipynb#eagain"] = "the reader's own non-blocking write() loop in Sys calls, as a C program writes it: the loop is what the "
            + "cell shows; the library's run of the same experiment follows (nonblocking-run)",
    };

    /// <summary>The logic in one cell's code, one line each: what it is and where. Strings and comments are not code, so never logic.</summary>
    public static IReadOnlyList<string> Logic(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        return
        [
            .. root.DescendantNodes().Select(n => (Node: n, What: What(n))).Where(x => x.What is not null)
                .Select(x => $"{x.What} at line {x.Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {Shorten(x.Node)}"),
        ];
    }

    private static string? What(SyntaxNode node) => node switch
    {
        IfStatementSyntax => "if",
        ForStatementSyntax or CommonForEachStatementSyntax => "for/foreach loop",
        WhileStatementSyntax or DoStatementSyntax => "while loop",
        ConditionalExpressionSyntax => "?: conditional",
        SwitchStatementSyntax or SwitchExpressionSyntax => "switch",
        GotoStatementSyntax => "goto",
        QueryExpressionSyntax => "query expression",
        LambdaExpressionSyntax { Block: not null } or AnonymousMethodExpressionSyntax => "lambda with a block body",
        LambdaExpressionSyntax => "lambda",
        LocalFunctionStatementSyntax => "local function",
        _ => null,
    };

    private static string Shorten(SyntaxNode node)
    {
        string text = node.ToString().ReplaceLineEndings(" ");
        return text.Length <= 80 ? text : text[..77] + "...";
    }

    private static IEnumerable<(string Where, string Code)> CellsOutsideExercises() =>
        from path in Directory.EnumerateFiles(CourseLayout.Notebooks, "*.ipynb").Order(StringComparer.Ordinal)
        from cell in JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
        where (string)cell!["cell_type"]! == "code"
            && cell["metadata"]?["tags"]?.AsArray().Any(t => (string?)t == "exercise") != true
        select ($"{Path.GetFileName(path)}#{(string?)cell["id"]}", string.Concat(cell["source"]!.AsArray().Select(l => (string)l!)));

    [Fact]
    public void Every_cell_outside_the_exercises_narrates_and_calls()
    {
        var cells = CellsOutsideExercises().ToList();
        Assert.True(cells.Count > 100, $"only {cells.Count} code cells found under {CourseLayout.Notebooks}");
        var logic = cells.Where(c => !Kept.ContainsKey(c.Where))
            .SelectMany(c => Logic(c.Code).Select(l => $"{c.Where}: {l}"));
        Assert.Empty(logic);
        // A reason kept for a cell that has none left, or that is gone, is stale.
        Assert.All(Kept.Keys, where => Assert.True(cells.Any(c => c.Where == where && Logic(c.Code).Count > 0), $"{where} is kept for its logic but has none"));
    }

    [Theory]
    [InlineData("if (zoo.IsRecorded) display(1);", "if")]
    [InlineData("foreach (var run in runs) display(run);", "for/foreach loop")]
    [InlineData("for (int i = 0; i < 3; i++) display(i);", "for/foreach loop")]
    [InlineData("while (write(fd, chunk) > 0) total++;", "while loop")]
    [InlineData("display(views is null ? \"none\" : views);", "?: conditional")]
    [InlineData("display(n switch { 0 => \"none\", _ => \"some\" });", "switch")]
    [InlineData("runs.ForEach(r => { display(r); });", "lambda with a block body")]
    [InlineData("runs.Select(r => r.Text)", "lambda")]
    public void The_check_finds_planted_logic(string code, string expected) =>
        Assert.StartsWith(expected + " at line 1", Assert.Single(Logic(code)));

    [Fact]
    public void Words_in_strings_and_comments_are_not_logic() =>
        Assert.Empty(Logic("#r \"x.dll\"\ndisplay(\"if (x) for each ? a : b\"); // while a switch => { }\nvar s = $\"{a.B}: {c}\";\nzoo.Show(Claims.ViewsAgree, DiagTables.ToDataFrame)"));
}

using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookRunner.Tests;

/// <summary>
/// The notebooks the runner writes keep the text form the kernel sends beside every HTML table and every
/// chart (jupyter console, nbconvert's text exporters, screen readers and text diffs read only that), with
/// the machine's paths scrubbed from it as from the HTML.
/// </summary>
public class TextFormOutputsTests
{
    private static readonly SubmitCode Cell = new("x");

    private static FormattedValue[] TableValues(string text) =>
        [new("text/html", "<table id=\"table_1\"></table>"), new("text/plain", text), new("text/plain+summary", "hidden") { SuppressDisplay = true }];

    [Fact]
    public void A_displays_and_a_results_text_plain_are_kept_and_a_suppressed_value_is_not()
    {
        var outputs = new CellOutputs();
        outputs.Add(new DisplayedValueProduced(null, Cell, TableValues("   state\n0  LISTEN")));
        outputs.Add(new ReturnValueProduced(null, Cell, TableValues("2")));

        var display = Assert.IsType<DisplayElement>(outputs.Outputs[0]);
        var result = Assert.IsType<ReturnValueElement>(outputs.Outputs[1]);
        Assert.Equal(["text/html", "text/plain"], display.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("   state\n0  LISTEN", display.Data["text/plain"]);
        Assert.Equal(["text/html", "text/plain"], result.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2", result.Data["text/plain"]);
    }

    [Fact]
    public void Machine_paths_are_scrubbed_from_text_plain_as_from_html()
    {
        var display = new DisplayElement(new Dictionary<string, object>
        {
            ["text/plain"] = "0  /srv/course/data/ss.txt  /home/ada/.nuget",
            ["text/html"] = "<td>/srv/course/data/ss.txt</td>",
        });
        new OutputScrubber([("/srv/course", "<course>"), ("/home/ada", "~")]).Scrub(display);
        Assert.Equal("0  <course>/data/ss.txt  ~/.nuget", display.Data["text/plain"]);
        Assert.Equal("<td><course>/data/ss.txt</td>", display.Data["text/html"]);
    }

    /// <summary>
    /// Over the committed chapters, which the runner wrote: every display_data and execute_result has text/plain.
    /// (Outputs written before the kernel sent a text form for tables and records fail here until the chapters
    /// are run again.)
    /// </summary>
    [Fact]
    public void Every_display_and_result_of_every_chapter_has_text_plain()
    {
        var chapters = Directory.EnumerateFiles(CourseLayout.Notebooks, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(chapters);
        var missing = new List<string>();
        int checkedOutputs = 0;
        foreach (var path in chapters)
        {
            var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
            for (int i = 0; i < cells.Count; i++)
            {
                foreach (var output in cells[i]!["outputs"]?.AsArray() ?? [])
                {
                    string kind = (string)output!["output_type"]!;
                    if (kind is not ("display_data" or "execute_result")) continue;
                    checkedOutputs++;
                    var data = output["data"]!.AsObject();
                    if (!data.ContainsKey("text/plain"))
                        missing.Add($"{Path.GetFileName(path)}, cell {i + 1} ({cells[i]!["id"]}): {kind} with {string.Join(", ", data.Select(p => p.Key))}");
                }
            }
        }
        Assert.True(checkedOutputs > 0, "no display_data or execute_result in any chapter: the chapters have not been run");
        Assert.True(missing.Count == 0, $"{missing.Count} of {checkedOutputs} outputs have no text/plain:\n{string.Join("\n", missing)}");
    }
}

using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;

namespace CourseKernel.Tests;

/// <summary>
/// Every value the kernel shows has a text form, as ipykernel's have: text/plain beside the HTML (a number
/// as its digits, a table as aligned columns) and beside a chart's figure (its one line), over both of the
/// kernel's protocols. Front ends that draw HTML still get it.
/// </summary>
[Trait("Category", TestCategory.Processes)]
public class TextFormTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>One display_data or execute_result (a ReturnValueProduced or DisplayedValueProduced over stdio): kind and data by MIME type.</summary>
    private sealed record Shown(string Kind, IReadOnlyDictionary<string, string> Data);

    private const string Table = "display(ByteOrder.Sockaddr(new System.Net.IPEndPoint(System.Net.IPAddress.Any, 9501)));";

    // Chapter 02's sockaddr table: fixed content on a little-endian machine, a text and a number column.
    private const string TableText = """
           field               offset  bytes in memory
        0  sin_family               0  02 00
        1  sin_port                 2  25 1D
        2  sin_addr                 4  00 00 00 00
        3  sin_zero (padding)       8  00 00 00 00 00 00 00 00
        """;

    private const string Chart = "Plotly.NET.CSharp.Chart.Point<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 1, 4, 9 }, Name: \"squares\")";

    [Fact]
    public void Over_jupyter_a_number_a_record_a_table_and_a_chart_each_carry_text_plain()
    {
        using var client = new JupyterClient();
        client.WaitUntilReady(Limit);
        AssertTextForms(code =>
        {
            string id = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = code });
            var reply = client.Receive(client.Shell, Limit) ?? throw new TimeoutException($"no execute_reply to {code}\n{client.KernelStderr}");
            Assert.True((string?)reply["content"]!["status"] == "ok", $"{code}: {reply["content"]}\n{client.KernelStderr}");
            return client.IopubUntilIdle(id, Limit)
                .Where(m => (string?)m["header"]!["msg_type"] is "display_data" or "execute_result")
                .Select(m => new Shown((string)m["header"]!["msg_type"]!, m["content"]!["data"]!.AsObject()
                    .ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue(out string? s) ? s : p.Value!.ToJsonString())))
                .ToList();
        });
    }

    [Fact]
    public async Task Over_stdio_a_number_a_record_a_table_and_a_chart_each_carry_text_plain()
    {
        using var connector = new StdIoKernelConnector(["dotnet", Course.KernelDll, "stdio", "--working-dir", Course.Notebooks],
            "course", new Uri("kernel://text-form-test"), new DirectoryInfo(Course.Notebooks));
        using var csharp = await connector.CreateProxyKernelAsync("csharp").WaitAsync(Limit);
        AssertTextForms(code =>
        {
            var result = csharp.SendAsync(new SubmitCode(code)).WaitAsync(Limit).GetAwaiter().GetResult();
            var failures = result.Events.OfType<CommandFailed>().Select(f => f.Message).ToList();
            Assert.True(failures.Count == 0, $"{code}: {string.Join("\n", failures)}");
            return result.Events.Select(e => e switch
            {
                ReturnValueProduced r => new Shown("execute_result", Data(r.FormattedValues)),
                DisplayedValueProduced d => new Shown("display_data", Data(d.FormattedValues)),
                _ => null,
            }).OfType<Shown>().ToList();
        });
    }

    // As the hosts and the runner read them: a value marked SuppressDisplay is not shown.
    private static Dictionary<string, string> Data(IEnumerable<Microsoft.DotNet.Interactive.Formatting.FormattedValue> values) =>
        values.Where(v => !v.SuppressDisplay).ToDictionary(v => v.MimeType, v => v.Value);

    private static void AssertTextForms(Func<string, List<Shown>> run)
    {
        var number = Assert.Single(run("1+1"));
        Assert.Equal("execute_result", number.Kind);
        Assert.Equal("2", Text(number));
        Assert.Contains("<pre>2</pre>", number.Data["text/html"]);

        var setup = Assert.Single(run(SetupCell()));
        Assert.StartsWith("SetupSummary", Text(setup));
        Assert.Contains("Library: NetIpc", Text(setup));
        Assert.StartsWith("<details", setup.Data["text/html"]);

        var table = Assert.Single(run(Table));
        Assert.Equal("display_data", table.Kind);
        Assert.StartsWith("<table id=\"table_", table.Data["text/html"]);
        Assert.Equal(TableText.ReplaceLineEndings("\n"), Text(table));

        var chart = Assert.Single(run(Chart));
        Assert.Equal("chart (series: squares)", Text(chart));
        Assert.Contains("application/vnd.plotly.v1+json", chart.Data.Keys);
        Assert.DoesNotContain("text/html", chart.Data.Keys);
    }

    private static string Text(Shown shown) =>
        shown.Data.TryGetValue("text/plain", out var text) ? text : throw new Xunit.Sdk.XunitException($"{shown.Kind} without text/plain: {string.Join(", ", shown.Data.Keys)}");

    private static string SetupCell()
    {
        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(Course.Notebooks, "00-start-here.ipynb")))!["cells"]!.AsArray();
        var first = cells.First(c => (string?)c!["cell_type"] == "code")!;
        return string.Concat(first["source"]!.AsArray().Select(l => (string?)l));
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using ColorCode;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CourseSite.Site;

/// <summary>A chapter as the index and the previous/next links name it.</summary>
public sealed record ChapterLink(string Number, string Title, string Page);

/// <summary>One output as the chapter template shows it; <see cref="Kind"/> picks the template's branch.</summary>
public sealed record OutputView(string Kind, string? Html = null, string? Text = null, string? Figure = null, string? Still = null, string? Id = null);

/// <summary>A markdown cell (<see cref="Html"/> only) or a code cell (highlighted <see cref="Html"/> and its outputs).</summary>
public sealed record CellView(string Kind, string Html, IReadOnlyList<OutputView> Outputs);

/// <summary>
/// Everything the chapter template needs for one notebook. Charts whose JSON the notebook carries
/// become <see cref="OutputView"/>s of kind "chart"; old chart outputs, which could only draw by loading
/// require.js and plotly.js from a CDN, become "unavailable" notes, because the site never loads anything
/// from outside itself.
/// </summary>
public sealed class ChapterPage
{
    public const string PlotlyMime = "application/vnd.plotly.v1+json";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        .Build();

    private static readonly HtmlClassFormatter CSharp = new();

    // A script that loads or names anything on the network: in the notebooks these are Plotly.NET's old
    // chart loaders (require.js and plotly.js from cdnjs and cdn.plot.ly). Protocol-relative sources count too.
    private static readonly Regex Script = new(@"<script\b[^>]*>[\s\S]*?</script\s*>", RegexOptions.IgnoreCase | RegexOptions.Compiled);
    private static readonly Regex Networked = new(@"https?://|\bsrc\s*=\s*[""']?//", RegexOptions.IgnoreCase | RegexOptions.Compiled);
    private static readonly Regex Ansi = new(@"\x1B\[[0-9;]*[A-Za-z]", RegexOptions.Compiled);

    private readonly List<(string Path, byte[] Content)> files = [];
    private int charts;

    public required ChapterLink Chapter { get; init; }
    public required string Source { get; init; }
    public ChapterLink? Previous { get; init; }
    public ChapterLink? Next { get; init; }
    public IReadOnlyList<CellView> Cells { get; private set; } = [];

    /// <summary>The plotly.js file the page loads; null on pages without a chart, which then load nothing.</summary>
    public string? Plotly { get; private set; }

    /// <summary>Chart stills and images, relative to the site's folder, for the builder to write.</summary>
    public IReadOnlyList<(string Path, byte[] Content)> Files => files;

    public int Charts => charts;

    public int Unavailable { get; private set; }

    /// <summary>The chapter's number (the file name's leading digits) and title (its first "# " heading).</summary>
    internal static ChapterLink LinkTo(Notebook notebook)
    {
        string number = new(notebook.Name.TakeWhile(char.IsAsciiDigit).ToArray());
        string? heading = notebook.Cells.OfType<MarkdownCell>()
            .SelectMany(cell => cell.Source.Split('\n'))
            .FirstOrDefault(line => line.StartsWith("# ", StringComparison.Ordinal));
        return new ChapterLink(number, heading is null ? notebook.Name : heading[2..].Trim(), PageName(notebook.Name));
    }

    internal static string PageName(string notebookName) => notebookName + ".html";

    internal static ChapterPage Build(Notebook notebook, ChapterLink chapter, ChapterLink? previous, ChapterLink? next,
        IReadOnlySet<string> notebookNames, string plotlyFile)
    {
        var page = new ChapterPage { Chapter = chapter, Source = Path.GetFileName(notebook.Path), Previous = previous, Next = next };
        var cells = new List<CellView>();
        int index = 0;
        foreach (var cell in notebook.Cells)
        {
            index++;
            cells.Add(cell switch
            {
                MarkdownCell markdown => new CellView("markdown", Markdown(markdown.Source, notebookNames), []),
                CodeCell code => new CellView("code", Highlight(code), code.Outputs.Select(o => page.Output(o, $"{notebook.Path}, cell {index}")).OfType<OutputView>().ToList()),
                _ => throw new InvalidOperationException($"unexpected cell {cell}"),
            });
        }
        page.Cells = cells;
        page.Plotly = page.charts > 0 ? plotlyFile : null;
        return page;
    }

    /// <summary>Markdown to HTML, with links to other chapters' notebooks pointed at their pages.</summary>
    internal static string Markdown(string source, IReadOnlySet<string> notebookNames)
    {
        var document = Markdig.Markdown.Parse(source, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is { } url) link.Url = ChapterUrl(url, notebookNames);
        }
        return document.ToHtml(Pipeline);
    }

    /// <summary>"05-socket-lifecycle.ipynb#x" becomes "05-socket-lifecycle.html#x" when that notebook is part of the site.</summary>
    internal static string ChapterUrl(string url, IReadOnlySet<string> notebookNames)
    {
        int hash = url.IndexOf('#');
        string path = hash < 0 ? url : url[..hash];
        string fragment = hash < 0 ? "" : url[hash..];
        if (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
        if (path.Contains('/') || path.Contains(':') || !path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) return url;
        string name = Uri.UnescapeDataString(path[..^".ipynb".Length]);
        return notebookNames.Contains(name) ? PageName(name) + fragment : url;
    }

    private static string Highlight(CodeCell code) => code.Language is "csharp" or "C#" or "c#"
        ? CSharp.GetHtmlString(code.Source, Languages.CSharp)
        : $"<pre>{System.Net.WebUtility.HtmlEncode(code.Source)}</pre>"; // no highlighter for the cell's language: plain, still escaped

    private OutputView? Output(JsonElement output, string where)
    {
        string type = output.TryGetProperty("output_type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : throw new SiteInputException($"{where}: an output without output_type");
        switch (type)
        {
            case "stream":
                string name = output.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "stdout";
                return new OutputView(name == "stderr" ? "stderr" : "stdout", Text: Field(output, "text", where));
            case "error":
                var traceback = output.TryGetProperty("traceback", out var tb) && tb.ValueKind == JsonValueKind.Array
                    ? string.Join('\n', tb.EnumerateArray().Select(line => line.ValueKind == JsonValueKind.String ? line.GetString() : line.GetRawText()))
                    : "";
                string message = $"{Field(output, "ename", where)}: {Field(output, "evalue", where)}";
                // The kernel colours tracebacks with terminal escapes, which mean nothing in a page.
                string text = Ansi.Replace(string.IsNullOrWhiteSpace(traceback) ? message : $"{message}\n{traceback}", "");
                return new OutputView("error", Text: text);
            case "execute_result" or "display_data":
                return output.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? Display(data, where) : null;
            default:
                return null;
        }
    }

    private OutputView? Display(JsonElement data, string where)
    {
        string? plain = data.TryGetProperty("text/plain", out var p) ? Notebook.Text(p, where) : null;
        if (data.TryGetProperty(PlotlyMime, out var figure))
        {
            charts++;
            string id = $"chart-{charts}";
            string? still = data.TryGetProperty("image/png", out var png) ? Image(png, id, where) : null;
            return new OutputView("chart", Text: plain, Figure: InlineJson(figure, where), Still: still, Id: id);
        }
        if (data.TryGetProperty("text/html", out var h))
        {
            string html = Notebook.Text(h, where);
            var scripts = Script.Matches(html).Where(m => Networked.IsMatch(m.Value)).ToList();
            if (scripts.Count > 0 && html.Contains("Plotly", StringComparison.Ordinal))
            {
                // An old chart output: its data lives only inside the script that fetched plotly.js, and the
                // div it leaves behind is empty, so the whole output gives way to a note.
                Unavailable++;
                return new OutputView("unavailable", Text: plain);
            }
            foreach (var script in scripts) html = html.Replace(script.Value, "");
            return new OutputView("html", Html: html);
        }
        if (data.TryGetProperty("image/png", out var image))
        {
            return new OutputView("image", Text: plain, Still: Image(image, $"image-{files.Count + 1}", where));
        }
        return plain is null ? null : new OutputView("text", Text: plain);
    }

    private string Image(JsonElement base64, string name, string where)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(string.Concat(Notebook.Text(base64, where).Where(c => !char.IsWhiteSpace(c))));
        }
        catch (FormatException e)
        {
            throw new SiteInputException($"{where}: image/png is not base64: {e.Message}", e);
        }
        string path = $"images/{Path.GetFileNameWithoutExtension(Chapter.Page)}-{name}.png";
        files.Add((path, bytes));
        return path;
    }

    /// <summary>The figure as a JavaScript literal that cannot end the inline script it sits in.</summary>
    private static string InlineJson(JsonElement figure, string where)
    {
        if (figure.ValueKind == JsonValueKind.String)
        {
            // Some writers store the figure as a JSON string rather than an object.
            try
            {
                using var parsed = JsonDocument.Parse(figure.GetString()!);
                return InlineJson(parsed.RootElement.Clone(), where);
            }
            catch (JsonException e)
            {
                throw new SiteInputException($"{where}: {PlotlyMime} is not a figure: {e.Message}", e);
            }
        }
        if (figure.ValueKind != JsonValueKind.Object)
        {
            throw new SiteInputException($"{where}: {PlotlyMime} is not a figure (a JSON object with data and layout)");
        }
        // JSON allows "\/" for "/", and "\u003C" for "<": with them, no "</script>" or "<!--" in a title can
        // close the script element or confuse the HTML parser.
        return figure.GetRawText().Replace("</", "<\\/", StringComparison.Ordinal).Replace("<!--", "\\u003C!--", StringComparison.Ordinal);
    }

    private static string Field(JsonElement output, string name, string where) =>
        output.TryGetProperty(name, out var value) ? Notebook.Text(value, where) : "";
}

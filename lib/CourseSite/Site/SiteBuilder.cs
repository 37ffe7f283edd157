using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using ColorCode;
using Fluid;
using Stills;

namespace CourseSite.Site;

/// <summary>What a build produced, for the builder's one-line report and for tests.</summary>
public sealed record SiteSummary(string Folder, IReadOnlyList<ChapterLink> Chapters, int Charts, int Unavailable, TimeSpan Elapsed);

/// <summary>
/// Builds the static course site from committed notebooks, without executing anything: an index, one page
/// per chapter, a stylesheet, plotly.js and the chart stills. Every link is relative, so the folder works
/// from file:// and from any static host. The site is built in a temporary sibling folder and moved into
/// place only when complete, so a failed build leaves the previous site (or none) rather than half of one.
/// </summary>
public static class SiteBuilder
{
    /// <summary>
    /// Written into every site, so that a later build replaces only a folder this builder made: --out pointing
    /// at the wrong folder must not delete it.
    /// </summary>
    public const string Marker = ".course-site";

    public const string Stylesheet = "site.css";

    private static readonly FluidParser Parser = new();

    // Unicode left as it is (the chapters are full of dashes and µ); only HTML's own characters are escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly TemplateOptions Options = CreateOptions();

    public static SiteSummary Build(string notebooksFolder, string outFolder)
    {
        var clock = Stopwatch.StartNew();
        var notebooks = ReadNotebooks(notebooksFolder);
        string target = Path.GetFullPath(outFolder);
        CheckReplaceable(target);

        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        // A sibling, so the final move is a rename on one file system.
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.building-{Guid.NewGuid():N}");
        try
        {
            var summary = Write(notebooks, staging);
            Replace(target, staging);
            return summary with { Folder = target, Elapsed = clock.Elapsed };
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static List<Notebook> ReadNotebooks(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new SiteInputException($"{folder}: no such folder of notebooks");
        }
        var paths = Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        if (paths.Count == 0)
        {
            throw new SiteInputException($"{folder}: no notebooks (*.ipynb) in this folder");
        }
        return paths.Select(Notebook.Read).ToList();
    }

    private static void CheckReplaceable(string target)
    {
        if (File.Exists(target))
        {
            throw new SiteInputException($"{target}: is a file, not a folder for the site");
        }
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, Marker)))
        {
            throw new SiteInputException($"{target}: exists and was not built by this site builder (no {Marker}); choose another --out or remove it");
        }
    }

    private static SiteSummary Write(List<Notebook> notebooks, string folder)
    {
        Directory.CreateDirectory(folder);
        var links = notebooks.Select(ChapterPage.LinkTo).ToList();
        var names = notebooks.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        string plotlyFile = PlotlyJs.FileName;

        var chapterTemplate = Template("chapter.liquid");
        int charts = 0, unavailable = 0;
        for (int i = 0; i < notebooks.Count; i++)
        {
            var page = ChapterPage.Build(notebooks[i], links[i], i > 0 ? links[i - 1] : null, i + 1 < links.Count ? links[i + 1] : null, names, plotlyFile);
            foreach (var (path, content) in page.Files)
            {
                string file = Path.Combine(folder, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, content);
            }
            WritePage(folder, page.Chapter.Page, chapterTemplate, ("chapter", page), ("stylesheet", Stylesheet));
            charts += page.Charts;
            unavailable += page.Unavailable;
        }
        WritePage(folder, "index.html", Template("index.liquid"), ("chapters", links), ("stylesheet", Stylesheet));

        // ColorCode's class formatter pairs its markup with its own stylesheet; the site's follows it.
        File.WriteAllText(Path.Combine(folder, Stylesheet), CSharpStyles() + "\n" + Resource("site.css"));
        File.WriteAllText(Path.Combine(folder, plotlyFile), PlotlyJs.Read());
        File.WriteAllText(Path.Combine(folder, Marker), "Built by lib/CourseSite (./run-course --site); the next build replaces this whole folder.\n");
        return new SiteSummary(folder, links, charts, unavailable, TimeSpan.Zero);
    }

    private static string CSharpStyles() => new HtmlClassFormatter().GetCSSString();

    private static void Replace(string target, string staging)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        string old = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
        Directory.Move(target, old);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(old, target);
            throw;
        }
        Directory.Delete(old, recursive: true);
    }

    private static void WritePage(string folder, string name, IFluidTemplate template, params (string Name, object Value)[] values)
    {
        var context = new TemplateContext(Options);
        foreach (var (key, value) in values) context.SetValue(key, value);
        File.WriteAllText(Path.Combine(folder, name), template.Render(context, Encoder));
    }

    private static IFluidTemplate Template(string name)
    {
        string source = Resource(name);
        return Parser.TryParse(source, out var template, out string error)
            ? template
            : throw new InvalidOperationException($"template {name}: {error}");
    }

    /// <summary>The templates and stylesheet ship inside the assembly, so the builder runs from any folder.</summary>
    private static string Resource(string name)
    {
        var assembly = typeof(SiteBuilder).Assembly;
        using var stream = assembly.GetManifestResourceStream($"CourseSite.Site.Templates.{name}")
            ?? throw new InvalidOperationException($"no embedded resource CourseSite.Site.Templates.{name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions();
        // Templates use Liquid's lower-case names (chapter.title) for the C# properties (Title).
        options.MemberAccessStrategy.IgnoreCasing = true;
        options.MemberAccessStrategy.Register<ChapterLink>();
        options.MemberAccessStrategy.Register<ChapterPage>();
        options.MemberAccessStrategy.Register<CellView>();
        options.MemberAccessStrategy.Register<OutputView>();
        return options;
    }
}

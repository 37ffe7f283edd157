using Microsoft.DotNet.Interactive.Documents;
using Stills;

namespace NotebookRunner;

/// <summary>
/// Adds a PNG still beside every chart (an application/vnd.plotly.v1+json output) before a notebook is
/// written, for the front ends that run no script: GitHub and nbconvert's HTML. One browser serves the
/// whole run; it starts at the first chart, so a run without charts never needs one.
/// </summary>
internal sealed class ChartStillsPass : IAsyncDisposable
{
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";
    public const string PngMimeType = "image/png";

    private ChartStills? stills;

    public int Rendered { get; private set; }

    public TimeSpan Spent { get; private set; }

    /// <summary>Fails early, before any notebook runs, when outputs are to be written and no browser exists.</summary>
    public static string? MissingBrowser()
    {
        try
        {
            return Chromium.Find() is null ? $"Chart stills need a headless Chromium, and this machine has none: {Chromium.InstallHint}." : null;
        }
        catch (ChromiumMissingException e)
        {
            return e.Message;
        }
    }

    public async Task AddToAsync(InteractiveDocument document)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var bundles = document.Elements.SelectMany(e => e.Outputs).Select(o => o switch
        {
            DisplayElement display => display.Data,
            ReturnValueElement result => result.Data,
            _ => null,
        }).OfType<IDictionary<string, object>>();
        foreach (var data in bundles)
        {
            if (data.TryGetValue(PlotlyMimeType, out var figure) && figure is string json && !data.ContainsKey(PngMimeType))
            {
                stills ??= await ChartStills.StartAsync();
                data[PngMimeType] = Convert.ToBase64String(await stills.RenderPngAsync(json));
                Rendered++;
            }
        }
        Spent += started.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (stills is not null)
        {
            await stills.DisposeAsync();
        }
    }
}

using System.Text.Json;
using PuppeteerSharp;

namespace Stills;

/// <summary>
/// Renders Plotly figures (the JSON of an application/vnd.plotly.v1+json output) to PNG with plotly.js's
/// own Plotly.toImage in one headless page: one browser for a whole run, every network request refused.
/// </summary>
public sealed class ChartStills : IAsyncDisposable
{
    /// <summary>
    /// Readable in GitHub's notebook view, which shows an image at most about 900 px wide. The figure carries
    /// no width of its own (each interactive renderer fills its container), so the still's is set here.
    /// </summary>
    public const int Width = 900;

    /// <summary>The still's height when the figure sets none; a figure's own height is kept, as the interactive chart keeps it.</summary>
    public const int Height = 500;

    private readonly IBrowser browser;
    private readonly IPage page;

    private ChartStills(IBrowser browser, IPage page)
    {
        this.browser = browser;
        this.page = page;
    }

    /// <summary>Starts the browser; throws <see cref="ChromiumMissingException"/> naming what to install when there is none.</summary>
    public static async Task<ChartStills> StartAsync()
    {
        var browser = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            await page.SetRequestInterceptionAsync(true);
            page.Request += async (_, e) =>
            {
                if (e.Request.Url.StartsWith("data:", StringComparison.Ordinal) || e.Request.Url == "about:blank")
                {
                    await e.Request.ContinueAsync();
                }
                else
                {
                    await e.Request.AbortAsync(); // a figure that asks for the network is a bug: its still fails
                }
            };
            await page.SetContentAsync($"<!DOCTYPE html><html><head><script>{PlotlyJs.Read()}</script></head><body></body></html>");
            return new ChartStills(browser, page);
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The figure as a PNG <see cref="Width"/> wide and as high as <see cref="HeightOf"/> says; a figure
    /// plotly.js rejects throws with its message.
    /// </summary>
    public async Task<byte[]> RenderPngAsync(string figureJson)
    {
        // Parsed here so that malformed JSON is refused with .NET's message naming the position, not plotly.js's.
        int height = HeightOf(figureJson);
        string dataUrl = await page.EvaluateFunctionAsync<string>(
            "async (json, width, height) => await Plotly.toImage(JSON.parse(json), { format: 'png', width, height })",
            figureJson, Width, height);
        const string prefix = "data:image/png;base64,";
        return dataUrl.StartsWith(prefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(dataUrl[prefix.Length..])
            : throw new InvalidOperationException($"Plotly.toImage returned no PNG: {dataUrl[..Math.Min(60, dataUrl.Length)]}");
    }

    /// <summary>
    /// The still's height: the figure's own (a sequence of many events or an sk_buff of many steps is drawn
    /// taller), else <see cref="Height"/>. Squeezed into a fixed height, a tall chart's still would not show
    /// what the interactive chart shows.
    /// </summary>
    public static int HeightOf(string figureJson)
    {
        using var figure = JsonDocument.Parse(figureJson);
        return figure.RootElement.ValueKind == JsonValueKind.Object
            && figure.RootElement.TryGetProperty("layout", out var layout) && layout.ValueKind == JsonValueKind.Object
            && layout.TryGetProperty("height", out var h) && h.ValueKind == JsonValueKind.Number && h.GetDouble() >= 10 // plotly.js's least
            ? (int)Math.Round(h.GetDouble())
            : Height;
    }

    public async ValueTask DisposeAsync()
    {
        await page.DisposeAsync();
        await browser.DisposeAsync();
    }
}

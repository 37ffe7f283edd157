using System.Reflection;

namespace Stills;

/// <summary>
/// plotly.js exactly as Plotly.NET carries it (an embedded resource, e.g. "Plotly.NET.plotly-2.28.0.min.js"):
/// the version the charts' JSON was written for, with no network.
/// </summary>
public static class PlotlyJs
{
    private static readonly Assembly PlotlyNet = typeof(Plotly.NET.GenericChart).Assembly;

    private static string ResourceName => PlotlyNet.GetManifestResourceNames().SingleOrDefault(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"Plotly.NET {PlotlyNet.GetName().Version} carries no plotly-*.min.js resource");

    /// <summary>"plotly-2.28.0.min.js".</summary>
    public static string FileName => ResourceName["Plotly.NET.".Length..];

    public static string Read()
    {
        using var stream = PlotlyNet.GetManifestResourceStream(ResourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using Microsoft.FSharp.Core;
using Plotly.NET;

namespace NetIpc.Notebooks;

/// <summary>The chart calls Plotly.NET.CSharp lacks; everything else comes from it directly.</summary>
public static class ChartExtensions
{
    /// <summary>Plotly.NET exposes the title as a curried F# function; this gives C# a fluent call.</summary>
    public static GenericChart WithTitle(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);
}

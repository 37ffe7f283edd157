using Microsoft.FSharp.Core;
using Plotly.NET;

namespace NetIpc.Notebooks;

/// <summary>The chart calls Plotly.NET.CSharp lacks; everything else comes from it directly.</summary>
public static class ChartExtensions
{
    /// <summary>Plotly.NET exposes the title as a curried F# function; this gives C# a fluent call.</summary>
    public static GenericChart WithTitle(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);

    /// <summary>
    /// Asymmetric error bars from each point's lowest to highest value (one pair per point, in order):
    /// Plotly.NET has them only as an F# function with thirteen optional arguments.
    /// </summary>
    public static GenericChart WithYRange(this GenericChart chart, IEnumerable<double> above, IEnumerable<double> below) =>
        Plotly.NET.Chart.withYErrorStyle<double, double>(
            Visible: FSharpOption<bool>.Some(true),
            Type: FSharpOption<StyleParam.ErrorType>.Some(StyleParam.ErrorType.Data),
            Symmetric: FSharpOption<bool>.Some(false),
            Array: FSharpOption<IEnumerable<double>>.Some(above.ToList()),
            Arrayminus: FSharpOption<IEnumerable<double>>.Some(below.ToList()),
            Value: FSharpOption<double>.None,
            Valueminus: FSharpOption<double>.None,
            Traceref: FSharpOption<int>.None,
            Tracerefminus: FSharpOption<int>.None,
            Copy_ystyle: FSharpOption<bool>.None,
            Color: FSharpOption<Color>.None,
            Thickness: FSharpOption<double>.None,
            Width: FSharpOption<double>.None).Invoke(chart);
}

using Microsoft.DotNet.Interactive;

namespace NetIpc.Notebooks.Views;

/// <summary>
/// How a cell shows more than one thing without logic of its own: the views are named, and this class
/// decides what the reader sees — every view of a result, or the one sentence saying why there is none.
/// </summary>
public static class Shown
{
    /// <summary>
    /// Each view of a live-only result, in order: all but the last displayed, the last returned as the cell's
    /// value. Where the run could not happen here, only the sentence saying what is missing.
    /// </summary>
    public static object Show<T>(this LiveOnlyResult<T> run, params Func<T, object>[] views)
    {
        ArgumentOutOfRangeException.ThrowIfZero(views.Length);
        if (!run.HasResult)
        {
            return run.WhyNot!;
        }
        Each(views[..^1], view => view(run.Result));
        return views[^1](run.Result);
    }

    /// <summary>Displays <paramref name="view"/> of each item, in order: one output per item, as a loop in the cell would.</summary>
    public static void Each<T>(IEnumerable<T> items, Func<T, object> view)
    {
        foreach (var item in items)
        {
            Kernel.display(view(item));
        }
    }
}

using NetIpc.Packets;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace NetIpc.Notebooks.Charts;

/// <summary>An SkBuff's history drawn as one bar per operation: headroom, each labelled region, tailroom.</summary>
public static class SkBuffChart
{
    private const string Headroom = "headroom";
    private const string Tailroom = "tailroom";

    public static GenericChart Draw(SkBuff skb, string title)
    {
        var steps = skb.History;
        var rows = steps.Select(Segments).ToList();
        var kinds = Order(rows);
        // Plotly draws the first category at the bottom; listing steps last-first puts the first step on top.
        var labels = steps.Select((s, i) => $"{i + 1}. {s.Operation}").Reverse().ToList();
        var traces = kinds.Select(kind => Plotly.NET.CSharp.Chart.StackedBar<int, string, string>(
            values: rows.Select(r => r.Where(seg => seg.Kind == kind).Sum(seg => seg.Length)).Reverse(),
            Keys: labels,
            Name: kind,
            MarkerColor: kind is Headroom or Tailroom ? Color.fromString("#dddddd") : new Optional<Color>()));
        return Plotly.NET.CSharp.Chart.Combine(traces)
            .WithTitle(title)
            .WithXAxisStyle<int, string, string>(TitleText: $"bytes from head (0) to end ({skb.End})")
            .WithYAxisStyle<int, string, string>(TitleText: "the buffer after each call")
            .WithCountAxis(Axis.X)
            .WithSize(Height: 120 + 28 * steps.Count);
    }

    private static List<(string Kind, int Length)> Segments(SkBuffStep step)
    {
        var segments = new List<(string, int)> { (Headroom, step.Data) };
        segments.AddRange(step.Regions.Select(r => (r.What, r.Length)));
        segments.Add((Tailroom, step.End - step.Tail));
        return segments;
    }

    /// <summary>
    /// One order of kinds that agrees with every step's order in memory, so stacking draws each bar's
    /// pieces where they lie: a kind first seen in a step goes just before the next kind of that step already placed.
    /// </summary>
    private static List<string> Order(List<List<(string Kind, int Length)>> rows)
    {
        var order = new List<string>();
        foreach (var row in rows)
        {
            var kinds = row.Select(s => s.Kind).ToList();
            for (int i = 0; i < kinds.Count; i++)
            {
                if (order.Contains(kinds[i]))
                {
                    continue;
                }
                string? next = kinds.Skip(i + 1).FirstOrDefault(order.Contains);
                order.Insert(next is null ? order.Count : order.IndexOf(next), kinds[i]);
            }
        }
        return order;
    }
}

namespace NetIpc;

/// <summary>
/// The course's one definition of a median and a percentile, so that every figure a chapter calls "median" or
/// "p99" means the same thing. Percentiles are by nearest rank: the q-th percentile of n values is the
/// ⌈q·n⌉-th smallest (1-based). The median is the 50th percentile by that rule, so for an even count it is the
/// lower of the two middle values, not their mean: every figure printed is a value that was measured.
/// </summary>
public static class Stats
{
    /// <summary>The nearest-rank median: the middle value, or for an even count the lower of the two middle ones.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty: a median of nothing is not a number to print.</exception>
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>The nearest-rank <paramref name="q"/>-quantile (0 &lt; q ≤ 1): the ⌈q·n⌉-th smallest of the n values.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is not in (0, 1].</exception>
    public static double Percentile(IEnumerable<double> values, double q)
    {
        if (!(q > 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "a percentile's fraction lies in (0, 1]: 0.5 for the median, 0.99 for p99");
        }
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("no values: a median or percentile of nothing is undefined", nameof(values));
        }
        // q·n is computed in binary floating point (0.99 · 100 = 98.99999…): round it first so a whole rank stays whole.
        int rank = (int)Math.Ceiling(Math.Round(q * sorted.Length, 9));
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}

namespace NetIpc.Tests;

public class StatsTests
{
    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_value_whatever_the_order() =>
        Assert.Equal(7, Stats.Median([9, 1, 7, 8, 2]));

    [Fact]
    public void The_median_of_an_even_count_is_the_lower_middle_value_not_the_mean() =>
        Assert.Equal(12, Stats.Median([30, 10, 50, 12])); // the mean of the middle two would be 21

    [Fact]
    public void The_median_of_one_value_is_that_value() => Assert.Equal(4.5, Stats.Median([4.5]));

    [Theory]
    [InlineData(0.99, 100, 99)]  // rank ⌈99⌉ = 99, not 100: a whole rank stays whole despite 0.99 · 100 in binary
    [InlineData(0.99, 200, 198)]
    [InlineData(0.99, 10, 10)]   // fewer than 100 values: p99 is the largest
    [InlineData(0.5, 4, 2)]
    [InlineData(1.0, 7, 7)]
    [InlineData(0.01, 7, 1)]
    public void A_percentile_is_the_value_of_nearest_rank(double q, int count, double expected) =>
        Assert.Equal(expected, Stats.Percentile(Enumerable.Range(1, count).Select(i => (double)i).Reverse(), q));

    [Fact]
    public void Empty_input_is_refused_with_a_reason_not_answered_with_a_number()
    {
        var median = Assert.Throws<ArgumentException>(() => Stats.Median([]));
        Assert.Contains("no values", median.Message);
        Assert.Throws<ArgumentException>(() => Stats.Percentile([], 0.99));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_zero_to_one_is_refused(double q) =>
        Assert.Equal("q", Assert.Throws<ArgumentOutOfRangeException>(() => Stats.Percentile([1, 2], q)).ParamName);
}

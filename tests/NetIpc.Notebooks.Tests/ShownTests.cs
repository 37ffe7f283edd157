using NetIpc.Notebooks.Views;

namespace NetIpc.Notebooks.Tests;

/// <summary>What a cell gets from Shown.Show: the views of a result, or only the sentence saying why there is none.</summary>
public class ShownTests
{
    [Fact]
    public void A_result_that_is_missing_shows_only_the_sentence() =>
        Assert.Equal("no /proc/net here", LiveOnlyResult<string>.Missing("no /proc/net here").Show(s => s.Length, s => s + "!"));

    [Fact]
    public void A_result_shows_its_last_view_as_the_cell_value() =>
        Assert.Equal("measured!", LiveOnlyResult<string>.Ran("measured").Show(s => s + "!"));

    [Fact]
    public void A_result_needs_a_view() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LiveOnlyResult<string>.Ran("measured").Show());
}

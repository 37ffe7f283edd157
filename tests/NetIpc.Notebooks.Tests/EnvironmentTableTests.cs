using NetIpc.Notebooks.Tables;

namespace NetIpc.Notebooks.Tests;

public class EnvironmentTableTests
{
    [Fact]
    public void Table_has_one_row_per_fact()
    {
        var report = EnvironmentReport.Collect();
        Assert.Equal(report.Facts.Count, report.ToDataFrame().Rows.Count);
    }
}

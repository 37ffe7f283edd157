using Microsoft.Data.Analysis;

namespace NetIpc.Notebooks.Tables;

/// <summary>The machine a chapter runs on, as chapter 00 shows it.</summary>
public static class EnvironmentTable
{
    public static DataFrame ToDataFrame(this EnvironmentReport report) => new(
        new StringDataFrameColumn("fact", report.Facts.Select(f => f.Name)),
        new StringDataFrameColumn("value", report.Facts.Select(f => f.Value)),
        new StringDataFrameColumn("read from", report.Facts.Select(f => f.Source)));
}

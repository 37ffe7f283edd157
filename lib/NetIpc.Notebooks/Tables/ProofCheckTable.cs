using Microsoft.Data.Analysis;
using NetIpc.Experiments;

namespace NetIpc.Notebooks;

public static class ProofCheckTable
{
    /// <summary>
    /// A table of checks, for a notebook. Checks also arrive from recordings, which no experiment
    /// verified on this run, so the table is refused rather than shown with a ✗ in it.
    /// </summary>
    public static DataFrame ToDataFrame(this IReadOnlyList<ProofCheck> checks) => new(
        new StringDataFrameColumn("claim", checks.RequireAll().Select(c => c.Claim)),
        new StringDataFrameColumn("holds", checks.Select(_ => "✓")),
        new StringDataFrameColumn("evidence", checks.Select(c => c.Evidence)));
}

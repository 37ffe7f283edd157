using Microsoft.Data.Analysis;
using NetIpc.Harness;

namespace NetIpc.Notebooks.Tables;

public static class ProofCheckTable
{
    /// <summary>
    /// A table of checks, as they are: ✓ where a check held, ✗ where it did not. Showing decides nothing; a cell
    /// enforces the checks first with <c>RequireAll()</c>, so a chapter stops at the experiment, and a ✗ never sits
    /// in a notebook that ran through.
    /// </summary>
    public static DataFrame ToDataFrame(this IReadOnlyList<ProofCheck> checks) => new(
        new StringDataFrameColumn("claim", checks.Select(c => c.Claim)),
        new StringDataFrameColumn("holds", checks.Select(c => c.Holds ? "✓" : "✗")),
        new StringDataFrameColumn("evidence", checks.Select(c => c.Evidence)));
}

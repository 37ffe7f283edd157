
namespace NetIpc.Harness;

/// <summary>One claim an experiment checked against the kernel, and what showed it.</summary>
public sealed record ProofCheck(string Claim, bool Holds, string Evidence);

/// <summary>The kernel did not do what an experiment claims it does.</summary>
public sealed class ProofFailedException(IReadOnlyList<ProofCheck> failed)
    : Exception($"the kernel disagrees: {string.Join("; ", failed.Select(c => $"✗ {c.Claim} — seen: {c.Evidence}"))}")
{
    /// <summary>The checks that did not hold, each with what was seen instead.</summary>
    public IReadOnlyList<ProofCheck> Failed { get; } = failed;
}

public static class ProofChecks
{
    /// <summary>
    /// Returns the checks when every one holds, and throws otherwise. A chapter that shows a table of
    /// checks would otherwise go green with a ✗ in it: the kernel disagreeing with the course must stop
    /// the notebook at the experiment, not wait for a reader to spot a cross.
    /// </summary>
    public static IReadOnlyList<ProofCheck> RequireAll(this IReadOnlyList<ProofCheck> checks)
    {
        var failed = checks.Where(c => !c.Holds).ToList();
        return failed.Count == 0 ? checks : throw new ProofFailedException(failed);
    }
}

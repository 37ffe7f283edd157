namespace NetIpc;

/// <summary>A result and where it came from: measured just now, or a labelled recording.</summary>
public sealed record Measured<T>(T Result, string Source, bool IsRecorded);

/// <summary>
/// Runs an experiment live when this machine can, and otherwise loads its recording from data/ — saying
/// plainly which one the reader is looking at, and why. The experiment decides whether it can run
/// (an <see cref="IsolatedExperiment"/> declares what it needs and asks <see cref="Capabilities"/>);
/// the caller only names the recording.
/// </summary>
public static class Measured
{
    /// <summary>What every chapter's live experiment reads: without /proc/net none of them runs.</summary>
    private static string? ProcNetMissing => Capabilities.Of(Capability.ProcNet) is { Allowed: false } p ? p.Outcome : null;

    public static Measured<T> LiveOr<T>(Func<T> live, string recording) => LiveOr(live, () =>
    {
        var recorded = Recordings.Load<T>(recording);
        return (recorded.Result, recorded.Label);
    });

    /// <summary>
    /// As <see cref="LiveOr{T}(Func{T}, string)"/>, for a recording that is not an experiment's JSON
    /// (e.g. captured frames taken apart again): <paramref name="recorded"/> gives the result and its label.
    /// </summary>
    public static Measured<T> LiveOr<T>(Func<T> live, Func<(T Result, string Label)> recorded)
    {
        if (ProcNetMissing is string reason)
        {
            return Recorded(recorded, reason);
        }
        var routes = new List<Route>();
        IsolatedExperiment.RoutesTaken.Value = routes;
        T result;
        try
        {
            result = live();
        }
        catch (CapabilityMissingException e)
        {
            return Recorded(recorded, e.Message);
        }
        finally
        {
            IsolatedExperiment.RoutesTaken.Value = null;
        }
        string where = routes.Any(r => r.Kind == RouteKind.UserNamespaceChild)
            ? ", " + routes.First(r => r.Kind == RouteKind.UserNamespaceChild).Description
            : "";
        return new Measured<T>(result, $"live: measured just now on this machine{where}", false);
    }

    private static Measured<T> Recorded<T>(Func<(T Result, string Label)> recorded, string reason)
    {
        var (result, label) = recorded();
        return new Measured<T>(result, $"{label} — {reason}", true);
    }
}

using NetIpc.Isolation;

namespace NetIpc;

/// <summary>A result and where it came from: measured just now, or a labelled recording.</summary>
public sealed record Measured<T>(T Result, string Source, bool IsRecorded)
{
    /// <summary>Which kernel the result speaks for: the recording's label, or this machine's kernel.</summary>
    public string Kernel => IsRecorded ? Source : $"this kernel ({Environment.OSVersion.Version})";
}

/// <summary>
/// What a run a chapter shows only live gave: its result where this machine could run it, and otherwise
/// the sentence saying what is missing (<see cref="Measured.LiveOnly{T}(LiveRun{T})"/>).
/// </summary>
public sealed class LiveOnlyResult<T>
{
    private readonly T result;

    private LiveOnlyResult(T result, string? whyNot) => (this.result, WhyNot) = (result, whyNot);

    /// <summary>A result measured just now.</summary>
    public static LiveOnlyResult<T> Ran(T result) => new(result, null);

    /// <summary>No result: <paramref name="whyNot"/> says what the reader would see live, and what this machine lacks.</summary>
    public static LiveOnlyResult<T> Missing(string whyNot) => new(default!, whyNot);

    /// <summary>Null when it ran; otherwise the one sentence a chapter shows instead of the result.</summary>
    public string? WhyNot { get; }

    public bool HasResult => WhyNot is null;

    public T Result => HasResult ? result : throw new InvalidOperationException(WhyNot);
}

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

    /// <summary>The run live, or its recording from data/: what every chapter's recorded experiment calls.</summary>
    public static Measured<T> LiveOr<T>(Run<T> run) => LiveOr(run.Live, run.Recorded);

    /// <summary>A call and an experiment's JSON recording not in <see cref="Runs"/>: for tests and one-off runs; chapters use the registry.</summary>
    public static Measured<T> LiveOr<T>(Func<T> live, string recording) => LiveOr(new Run<T>(recording, live, recording));

    /// <summary>
    /// The run live where this machine can run it; otherwise no result, and one sentence — the run's own
    /// <see cref="LiveRun{T}.OnlyLive"/>, then what <see cref="Capabilities"/> found missing — instead.
    /// </summary>
    public static LiveOnlyResult<T> LiveOnly<T>(LiveRun<T> run)
    {
        if (ProcNetMissing is string reason)
        {
            return LiveOnlyResult<T>.Missing($"{run.OnlyLive}, and this machine cannot run it: {reason}");
        }
        try
        {
            return LiveOnlyResult<T>.Ran(run.Live());
        }
        catch (CapabilityMissingException e)
        {
            return LiveOnlyResult<T>.Missing($"{run.OnlyLive}, and this machine cannot run it: {e.Line}");
        }
    }

    /// <summary>
    /// As <see cref="LiveOr{T}(Run{T})"/>, with the recording read by <paramref name="recorded"/>, which gives the
    /// result and its label (a run's <see cref="RecordingFormat{T}"/>: JSON, or e.g. captured frames taken apart again).
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
            // One short line where chapter 00 explains the rest: the same cause on every recorded cell helps nobody.
            return Recorded(recorded, e.Line);
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

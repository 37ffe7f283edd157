using NetIpc.Namespaces;
using NetIpc.Proc;

namespace NetIpc;

/// <summary>A result and where it came from: measured just now, or a labelled recording.</summary>
public sealed record Measured<T>(T Result, string Source, bool IsRecorded);

/// <summary>
/// Runs an experiment live when this machine can, and otherwise loads its recording from data/ — saying
/// plainly which one the reader is looking at, and why.
/// </summary>
public static class Measured
{
    public static Measured<T> LiveOr<T>(Func<T> live, string recording, bool needsRoot = false)
    {
        string? reason = !ProcNetDirectory.Self.Exists ? "this machine has no /proc/net"
            : needsRoot ? NetworkNamespace.Unavailable
            : null;
        if (reason is null)
        {
            return new Measured<T>(live(), "live: measured just now on this machine", false);
        }
        var recorded = Recordings.Load<T>(recording);
        return new Measured<T>(recorded.Result, $"{recorded.Label} — {reason}", true);
    }
}

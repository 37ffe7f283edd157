using CourseTests;
using NetIpc.Isolation;

namespace NetIpc.Tests;

/// <summary>
/// Why a test about the live kernel cannot run here, or null when it can. Every answer comes from
/// <see cref="Capabilities"/>, the place the chapters ask too: what was tried, not who we are.
/// </summary>
internal static class Requirements
{
    public static string? Linux => Capabilities.Of(Capability.ProcNet) is { Allowed: false } probe
        ? $"needs Linux with /proc/net: these tests read the live kernel's tables ({probe.Outcome})" : null;

    /// <summary>Why the declared experiment cannot run here by any route (in this process or in a child in a user namespace).</summary>
    public static string? Experiment(string name) => IsolatedExperiment.Find(name).Route.WhyNot is string why ? $"{name}: {why}" : null;

    /// <summary>Why this process itself lacks one of <paramref name="needs"/>: for tests that look at this process's own threads and descriptors.</summary>
    public static string? InProcess(Capability[] needs) =>
        Capabilities.RouteFor(needs) is { Kind: not RouteKind.InProcess } route
            ? $"needs {string.Join(", ", needs)} in this process: {needs.Select(Capabilities.Of).First(p => !p.Allowed).Outcome}"
            : null;

    /// <summary>Why no child process inside a user namespace of its own can be started here.</summary>
    public static string? UserNamespace => Capabilities.InUserNamespace.Probes is null ? Capabilities.InUserNamespace.Outcome : null;
}

/// <summary>A fact about the live kernel: reported as skipped, with the reason, where there is no /proc/net.</summary>
public sealed class LinuxFactAttribute : ConditionalFactAttribute
{
    public LinuxFactAttribute() => Skip = Requirements.Linux;
}

/// <summary>A theory about the live kernel: skipped, with the reason, where there is no /proc/net.</summary>
public sealed class LinuxTheoryAttribute : ConditionalTheoryAttribute
{
    public LinuxTheoryAttribute() => Skip = Requirements.Linux;
}

/// <summary>A fact about a declared isolated experiment: runs wherever the experiment can run, skipped with its reason elsewhere.</summary>
public sealed class ExperimentFactAttribute : ConditionalFactAttribute
{
    public ExperimentFactAttribute(string experiment) => Skip = Requirements.Linux ?? Requirements.Experiment(experiment);
}

/// <summary>A theory about a declared isolated experiment: runs wherever the experiment can run, skipped with its reason elsewhere.</summary>
public sealed class ExperimentTheoryAttribute : ConditionalTheoryAttribute
{
    public ExperimentTheoryAttribute(string experiment) => Skip = Requirements.Linux ?? Requirements.Experiment(experiment);
}

/// <summary>A fact that needs capabilities in this very process (it counts this process's threads or descriptors).</summary>
public sealed class InProcessFactAttribute : ConditionalFactAttribute
{
    public InProcessFactAttribute(params Capability[] needs) => Skip = Requirements.Linux ?? Requirements.InProcess(needs);
}

/// <summary>A fact that starts a child process inside a user namespace of its own, whatever this process may do.</summary>
public sealed class UserNamespaceFactAttribute : ConditionalFactAttribute
{
    public UserNamespaceFactAttribute() => Skip = Requirements.Linux ?? Requirements.UserNamespace;
}

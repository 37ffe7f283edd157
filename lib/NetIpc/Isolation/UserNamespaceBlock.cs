using NetIpc.Proc;

namespace NetIpc.Isolation;

/// <summary>What keeps an ordinary process from creating a user namespace, found by reading this machine.</summary>
public enum UserNamespaceBlockKind
{
    /// <summary>user.max_user_namespaces is 0, or its allowance is used up: unshare fails with ENOSPC.</summary>
    Limit,

    /// <summary>A seccomp filter on this process (Docker's and Podman's default profiles refuse unshare(CLONE_NEWUSER)).</summary>
    Seccomp,

    /// <summary>kernel.unprivileged_userns_clone = 0: the switch older Debian kernels carry.</summary>
    DebianSwitch,

    /// <summary>kernel.apparmor_restrict_unprivileged_userns = 1: Ubuntu's AppArmor lock (on by default since 24.04).</summary>
    AppArmorLock,

    /// <summary>None of the above holds here.</summary>
    Unknown,
}

/// <summary>
/// Why a child in a user namespace of its own could not start here (<see cref="Cause"/>, and the
/// <see cref="Container"/> hint where this is one), and the one thing that lets the chapters run live
/// (<see cref="Remedy(string)"/>). Cause and remedy are sentence parts: lower case, no full stop.
/// </summary>
public sealed record UserNamespaceBlock(UserNamespaceBlockKind Kind, string Cause, string? Container, int? ThreadsMax)
{
    /// <summary>The course's own copy of util-linux's unshare, which tools/apparmor/netipc-course lets through Ubuntu's lock.</summary>
    public const string CourseUnshare = "/usr/local/libexec/netipc-course/unshare";

    /// <summary>
    /// Reads this machine (under <paramref name="root"/>, "/" but for tests) for what refused the user namespace
    /// unshare reported in <paramref name="unshareSaid"/>: the first of the known causes that holds.
    /// </summary>
    public static UserNamespaceBlock Detect(string unshareSaid, string root = "/")
    {
        int? limit = ReadInt("user.max_user_namespaces", root);
        var (kind, cause) =
            limit == 0 ? (UserNamespaceBlockKind.Limit, "user.max_user_namespaces is 0")
            : unshareSaid.Contains("No space left on device", StringComparison.Ordinal)
                ? (UserNamespaceBlockKind.Limit, $"the {limit} user namespaces that user.max_user_namespaces allows are used up")
            : SeccompFilter(root) ? (UserNamespaceBlockKind.Seccomp, "a seccomp filter on this process refuses them (Seccomp: 2 in /proc/self/status)")
            : ReadInt("kernel.unprivileged_userns_clone", root) == 0
                ? (UserNamespaceBlockKind.DebianSwitch, "kernel.unprivileged_userns_clone is 0")
            : ReadInt("kernel.apparmor_restrict_unprivileged_userns", root) == 1
                ? (UserNamespaceBlockKind.AppArmorLock, "Ubuntu's AppArmor lock is on (kernel.apparmor_restrict_unprivileged_userns is 1)")
            : (UserNamespaceBlockKind.Unknown, $"none of the usual causes holds, and unshare said \"{unshareSaid}\"");
        return new UserNamespaceBlock(kind, cause, ContainerHint(root), ReadInt("kernel.threads-max", root));
    }

    /// <summary>
    /// The one thing to do so that every chapter runs live. In a container the flags it starts with decide, so
    /// they are read from <paramref name="courseRoot"/>'s Dev Container definition.
    /// </summary>
    /// <exception cref="FileNotFoundException">In a container, and the course has no .devcontainer/devcontainer.json.</exception>
    public string Remedy(string courseRoot) => Container is not null
        ? $"start the container as an ordinary user, never root, with docker run {DevContainer.Flags(DevContainer.RunArgs(courseRoot))} (podman run takes the same flags), or open the course in its Dev Container"
        : Kind switch
        {
            UserNamespaceBlockKind.Limit => $"run sudo sysctl -w user.max_user_namespaces={KernelDefaultLimit}",
            UserNamespaceBlockKind.Seccomp => "start the course from an ordinary terminal, outside whatever set that filter",
            UserNamespaceBlockKind.DebianSwitch => "run sudo sysctl -w kernel.unprivileged_userns_clone=1",
            UserNamespaceBlockKind.AppArmorLock => "run sudo tools/setup.sh once: it lets the course's own copy of unshare through that lock",
            _ => "run the course as root (sudo ./run-course), where the experiments need no user namespace",
        };

    /// <summary>What a learner reads once, in chapter 00: the cause, where it was found, and the one thing to do.</summary>
    public string Sentence(string courseRoot) =>
        $"User namespaces are blocked here{(Container is null ? "" : $", in a container ({Container})")}: {Cause}. To run every chapter live, {Remedy(courseRoot)}.";

    /// <summary>
    /// The limit the kernel itself starts with, half of kernel.threads-max (fork_init sets every ucount limit so):
    /// the remedy restores the default rather than inventing a number.
    /// </summary>
    private string KernelDefaultLimit =>
        ThreadsMax is int threads and > 1 ? (threads / 2).ToString(System.Globalization.CultureInfo.InvariantCulture) : "N (any N above 0)";

    private static int? ReadInt(string name, string root)
    {
        try
        {
            return Sysctl.ReadInt(name, root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Seccomp mode 2 (a filter) on this process; children inherit it, unshare among them.</summary>
    private static bool SeccompFilter(string root)
    {
        try
        {
            return File.ReadLines(Path.Combine(root, "proc", "self", "status"))
                .Any(l => l.StartsWith("Seccomp:", StringComparison.Ordinal) && l["Seccomp:".Length..].Trim() == "2");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>What says this is a container, or null: the files Docker and Podman leave at the root, else pid 1's cgroup.</summary>
    private static string? ContainerHint(string root)
    {
        foreach (var file in new[] { ".dockerenv", "run/.containerenv" })
        {
            if (File.Exists(Path.Combine(root, file)))
            {
                return "/" + file;
            }
        }
        try
        {
            string[] engines = ["docker", "containerd", "kubepods", "libpod", "lxc"];
            return File.ReadLines(Path.Combine(root, "proc", "1", "cgroup"))
                .Select(l => engines.FirstOrDefault(e => l.Contains(e, StringComparison.Ordinal)))
                .FirstOrDefault(e => e is not null) is string engine
                ? $"{engine} in /proc/1/cgroup"
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

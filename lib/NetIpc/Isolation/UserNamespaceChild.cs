using System.Runtime.InteropServices;
using System.Text.Json;
using NetIpc.Commands;

namespace NetIpc.Isolation;

/// <summary>
/// What a child process inside a new user and network namespace may do (<see cref="Probes"/>), or why none could
/// start — and, where this machine refused the user namespace itself, what refused it (<see cref="Block"/>).
/// </summary>
public sealed record UserNamespaceProbe(IReadOnlyList<CapabilityProbe>? Probes, string Outcome, UserNamespaceBlock? Block = null);

/// <summary>The capability a child in a user namespace would have needed could not be had: the sentence says why.</summary>
public sealed class UserNamespaceUnavailableException(string message, UserNamespaceBlock? block = null) : Exception(message)
{
    /// <summary>What refused the user namespace, where unshare itself failed; null when something else was missing.</summary>
    public UserNamespaceBlock? Block { get; } = block;
}

/// <summary>An experiment failed inside the child process; the message is the child's own.</summary>
public sealed class ChildExperimentException(string message) : Exception(message);

/// <summary>
/// Starts the course's experiment host (lib/ExperimentHost) as a child process inside a new user and
/// network namespace — util-linux's <c>unshare --user --map-root-user --net</c> — where an ordinary
/// user is root over that namespace and may create network namespaces, veth pairs and raw sockets
/// inside it. A .NET process cannot do this to itself: unshare(CLONE_NEWUSER) refuses a process with
/// more than one thread, and every .NET process has several. Where tools/setup.sh installed the course's
/// own copy of unshare (for Ubuntu's AppArmor lock), that copy runs instead of the one on PATH.
/// </summary>
internal static class UserNamespaceChild
{
    private static readonly string[] Unshare = ["--user", "--map-root-user", "--net", "--"];

    public static UserNamespaceProbe Probe()
    {
        try
        {
            string json = Run(["probe"], null, TimeSpan.FromSeconds(30));
            var probes = JsonSerializer.Deserialize<List<CapabilityProbe>>(json, IsolatedExperiment.Json)
                ?? throw new UserNamespaceUnavailableException("the child in a user namespace answered nothing");
            return new UserNamespaceProbe(probes, "a child process started inside a user and network namespace of its own (unshare --user --map-root-user --net)");
        }
        catch (UserNamespaceUnavailableException e)
        {
            return new UserNamespaceProbe(null, e.Message, e.Block);
        }
        catch (Exception e) when (e is ChildExperimentException or TimeoutException or JsonException)
        {
            return new UserNamespaceProbe(null, e.Message);
        }
    }

    /// <summary>Runs the experiment host with <paramref name="arguments"/> in the child and returns what it printed.</summary>
    public static string Run(IReadOnlyList<string> arguments, string? input, TimeSpan limit)
    {
        string host = FindHost() ?? throw new UserNamespaceUnavailableException(
            "a child in a user namespace needs the course's experiment host (artifacts/bin/ExperimentHost), which is not built: run dotnet build Course.sln");
        CommandResult result;
        try
        {
            result = ExternalCommand.Run(UnshareProgram(), [.. Unshare, DotnetHost(), host, .. arguments], limit, input,
                new Dictionary<string, string> { [Capabilities.ChildMarker] = "1" });
        }
        catch (FileNotFoundException)
        {
            throw new UserNamespaceUnavailableException("a child in a user namespace needs util-linux's unshare, which is not installed here: apt-get install util-linux");
        }
        if (result.ExitCode == 0)
        {
            return result.StandardOutput;
        }
        string said = result.StandardError.Trim();
        // unshare reports its own failures as "unshare: …" before the host ever runs.
        if (said.StartsWith("unshare:", StringComparison.Ordinal))
        {
            var block = UserNamespaceBlock.Detect(said);
            throw new UserNamespaceUnavailableException($"a child in a user namespace of its own could not start either ({said}): {block.Cause}", block);
        }
        // The host's first line is "ExceptionType: message"; the stack trace after it is for a debugger, not a reader.
        throw new ChildExperimentException(said.Length > 0 ? said.Split('\n')[0].Trim() : $"the experiment host exited with {result.ExitCode} and said nothing");
    }

    /// <summary>The course's copy of unshare where tools/setup.sh installed it (only root can write there), else the one on PATH.</summary>
    internal static string UnshareProgram() =>
        File.Exists(UserNamespaceBlock.CourseUnshare) ? UserNamespaceBlock.CourseUnshare : "unshare";

    /// <summary>
    /// The dotnet host running this process (notebook kernel, runner or test host), so the child runs on
    /// the same runtime; DOTNET_HOST_PATH and the runtime's own folder cover hosts with another name.
    /// </summary>
    internal static string DotnetHost()
    {
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }
        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        return File.Exists(Path.Combine(root, "dotnet")) ? Path.Combine(root, "dotnet") : "dotnet";
    }

    /// <summary>artifacts/bin/ExperimentHost/&lt;configuration&gt;/ExperimentHost.dll of the course this library was built in.</summary>
    internal static string? FindHost()
    {
        string? folder = Path.GetDirectoryName(typeof(UserNamespaceChild).Assembly.Location);
        if (string.IsNullOrEmpty(folder))
        {
            return null;
        }
        string beside = Path.Combine(folder, "ExperimentHost.dll");
        if (File.Exists(beside))
        {
            return beside;
        }
        // artifacts/bin/<project>/<configuration>/: the host is built beside every project of the course.
        string configuration = Path.GetFileName(folder);
        string sibling = Path.GetFullPath(Path.Combine(folder, "..", "..", "ExperimentHost", configuration, "ExperimentHost.dll"));
        if (File.Exists(sibling))
        {
            return sibling;
        }
        // Otherwise the course this library belongs to.
        string course;
        try
        {
            course = Recordings.CourseRoot;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        return new[] { configuration, "debug", "release" }
            .Select(c => Path.Combine(course, "artifacts", "bin", "ExperimentHost", c, "ExperimentHost.dll"))
            .FirstOrDefault(File.Exists);
    }
}

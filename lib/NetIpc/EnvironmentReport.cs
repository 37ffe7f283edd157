using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;
using NetIpc.Native;

namespace NetIpc;

/// <summary>Whether this process may do something, and the evidence: what was tried and what the kernel said.</summary>
public sealed record Permission(bool Allowed, string Evidence);

/// <summary>One line of the environment table a chapter shows.</summary>
public sealed record EnvironmentFact(string Name, string Value, string Source);

/// <summary>
/// What this machine lets the course do, read live: the experiments in later chapters decide from
/// this whether they run for real or show recorded data.
/// </summary>
public sealed record EnvironmentReport(
    string OperatingSystem,
    string? KernelRelease,
    string DotNetVersion,
    string Architecture,
    bool IsRoot,
    bool ProcNetReadable,
    Permission RawSockets,
    Permission NetworkNamespaces,
    int? SomaxConn,
    int? TcpSyncookies)
{
    internal const string KernelReleasePath = "/proc/sys/kernel/osrelease";
    internal const string SomaxConnPath = "/proc/sys/net/core/somaxconn";
    internal const string TcpSyncookiesPath = "/proc/sys/net/ipv4/tcp_syncookies";
    internal const string ProcNetTcpPath = "/proc/net/tcp";

    public static EnvironmentReport Collect()
    {
        bool linux = System.OperatingSystem.IsLinux();
        return new EnvironmentReport(
            OperatingSystem: DescribeOperatingSystem(),
            KernelRelease: ReadKernelRelease(),
            DotNetVersion: RuntimeInformation.FrameworkDescription,
            Architecture: RuntimeInformation.ProcessArchitecture.ToString(),
            IsRoot: linux && LibC.GetEffectiveUserId() == 0,
            ProcNetReadable: linux && CanRead(ProcNetTcpPath),
            RawSockets: ProbeRawSockets(),
            NetworkNamespaces: linux ? ProbeNetworkNamespaces() : new Permission(false, "network namespaces are a Linux feature"),
            SomaxConn: linux ? ReadInt(SomaxConnPath) : null,
            TcpSyncookies: linux ? ReadInt(TcpSyncookiesPath) : null);
    }

    public IReadOnlyList<EnvironmentFact> Facts =>
    [
        new("Operating system", OperatingSystem, "/etc/os-release, or the runtime's description"),
        new("Kernel release", KernelRelease ?? "n/a (not Linux)", KernelReleasePath),
        new(".NET", DotNetVersion, "RuntimeInformation.FrameworkDescription"),
        new("Architecture", Architecture, "RuntimeInformation.ProcessArchitecture"),
        new("Running as root", IsRoot ? "yes" : "no", "geteuid()"),
        new("/proc/net readable", ProcNetReadable ? "yes" : "no", ProcNetTcpPath),
        new("Raw sockets", Describe(RawSockets), "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)"),
        new("Network namespaces", Describe(NetworkNamespaces), "unshare(CLONE_NEWNET) on a throw-away thread"),
        new("somaxconn", SomaxConn?.ToString() ?? "n/a", SomaxConnPath),
        new("tcp_syncookies", TcpSyncookies?.ToString() ?? "n/a", TcpSyncookiesPath),
    ];

    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("fact", Facts.Select(f => f.Name)),
        new StringDataFrameColumn("value", Facts.Select(f => f.Value)),
        new StringDataFrameColumn("read from", Facts.Select(f => f.Source)));

    /// <summary>"Debian GNU/Linux 12 (bookworm), kernel 6.x": cheap, no probes, for a one-line summary.</summary>
    public static string DescribeMachine() => $"{DescribeOperatingSystem()}, kernel {ReadKernelRelease() ?? "n/a"}";

    private static string? ReadKernelRelease() => System.OperatingSystem.IsLinux() ? ReadTrimmed(KernelReleasePath) : null;

    private static string Describe(Permission p) => (p.Allowed ? "allowed" : "not allowed") + " — " + p.Evidence;

    private static string DescribeOperatingSystem()
    {
        const string osRelease = "/etc/os-release";
        if (File.Exists(osRelease))
        {
            foreach (var line in File.ReadLines(osRelease))
            {
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                    return line["PRETTY_NAME=".Length..].Trim('"');
            }
        }
        return RuntimeInformation.OSDescription;
    }

    private static bool CanRead(string path)
    {
        try
        {
            using var reader = File.OpenText(path);
            return reader.ReadLine() is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? ReadTrimmed(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static int? ReadInt(string path) => int.TryParse(ReadTrimmed(path), out var value) ? value : null;

    private static Permission ProbeRawSockets()
    {
        try
        {
            using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
            return new Permission(true, $"opened fd {raw.Handle}, closed it again");
        }
        catch (SocketException e)
        {
            return new Permission(false, $"{Errno.Describe(e.ErrorCode)}: {e.Message}");
        }
    }

    /// <summary>
    /// unshare(CLONE_NEWNET) moves only the calling thread, so the probe runs on a thread of its own
    /// that ends right after; the empty namespace disappears with it and nothing else is touched.
    /// </summary>
    private static Permission ProbeNetworkNamespaces()
    {
        Permission? result = null;
        var thread = new Thread(() =>
        {
            int rc = LibC.Unshare(LibC.CloneNewNet);
            result = rc == 0
                ? new Permission(true, "a fresh namespace was created on a probe thread and released with it")
                : new Permission(false, Errno.Describe(Marshal.GetLastPInvokeError()));
        }) { IsBackground = true, Name = "netns probe" };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(5)))
            return new Permission(false, "unshare(CLONE_NEWNET) did not return within 5 s");
        return result!;
    }
}

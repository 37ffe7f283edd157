using System.Runtime.InteropServices;
using NetIpc.Isolation;
using NetIpc.Native;

namespace NetIpc;

/// <summary>Whether this process may do something, and the evidence: what was tried and what the kernel said.</summary>
public sealed record Permission(bool Allowed, string Evidence);

/// <summary>One line of the environment table a chapter shows.</summary>
public sealed record EnvironmentFact(string Name, string Value, string Source);

/// <summary>A kernel setting a chapter's sentence depends on, as this machine has it (null: no such setting here).</summary>
public sealed record SysctlReading(string Name, string? Value, string UsedBy);

/// <summary>
/// What this machine is, read live: the operating system, kernel, runtime and the two sysctls the
/// chapters depend on. What the process may do comes from <see cref="Capabilities"/>.
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
    int? TcpSyncookies,
    IReadOnlyList<SysctlReading> Sysctls)
{
    /// <summary>
    /// The settings the chapters' sentences rest on where the run itself cannot show them, with the chapter that
    /// uses each. A kernel too old for one reports it absent rather than failing.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string UsedBy)> SysctlsRead =
    [
        ("net.ipv4.tcp_syn_retries", "07: SYN resends before connect() gives up, plus tcp_syn_linear_timeouts on 6.5 and later"),
        ("net.ipv4.tcp_syn_linear_timeouts", "07: SYN timeouts re-armed at 1 s instead of doubled, so this + 1 resends come 1 s apart (Linux 6.5 and later)"),
        ("net.ipv4.tcp_synack_retries", "07: how many times a request resends its SYN-ACK"),
        ("net.ipv4.tcp_max_syn_backlog", "07: without syncookies, its last quarter is kept free for known peers"),
        ("net.ipv4.tcp_rto_min_us", "03: the retransmission timeout's floor (Linux 6.11 and later)"),
        ("net.ipv4.tcp_fin_timeout", "09: how long an orphaned FIN_WAIT2 lasts"),
        ("net.ipv4.ip_local_port_range", "05, 06: the ports the kernel picks for clients"),
        ("net.core.rmem_max", "08: the cap on SO_RCVBUF"),
        ("net.core.wmem_max", "08: the cap on SO_SNDBUF"),
        ("kernel.kptr_restrict", "03: whether /proc prints socket addresses hashed, plain or as zeros"),
    ];

    private const string SomaxConnName = "net.core.somaxconn";
    private const string TcpSyncookiesName = "net.ipv4.tcp_syncookies";
    internal const string ProcNetTcpPath = "/proc/net/tcp";

    public static EnvironmentReport Collect()
    {
        bool linux = System.OperatingSystem.IsLinux();
        return new EnvironmentReport(
            OperatingSystem: DescribeOperatingSystem(),
            KernelRelease: Proc.Sysctl.KernelRelease(),
            DotNetVersion: RuntimeInformation.FrameworkDescription,
            Architecture: RuntimeInformation.ProcessArchitecture.ToString(),
            IsRoot: linux && LibC.GetEffectiveUserId() == 0,
            ProcNetReadable: Capabilities.Of(Capability.ProcNet).Allowed,
            RawSockets: AsPermission(Capabilities.Of(Capability.RawSocket)),
            NetworkNamespaces: AsPermission(Capabilities.Of(Capability.NetworkNamespace)),
            SomaxConn: linux ? ReadInt(SomaxConnName) : null,
            TcpSyncookies: linux ? ReadInt(TcpSyncookiesName) : null,
            Sysctls: SysctlsRead.Select(s => new SysctlReading(s.Name, linux ? ReadSetting(s.Name) : null, s.UsedBy)).ToList());
    }

    public IReadOnlyList<EnvironmentFact> Facts =>
    [
        new("Operating system", OperatingSystem, "/etc/os-release, or the runtime's description"),
        new("Kernel release", KernelRelease ?? "n/a (not Linux)", Proc.Sysctl.PathOf("kernel.osrelease")),
        new(".NET", DotNetVersion, "RuntimeInformation.FrameworkDescription"),
        new("Architecture", Architecture, "RuntimeInformation.ProcessArchitecture"),
        new("Running as root", IsRoot ? "yes" : "no", "geteuid()"),
        new("somaxconn", SomaxConn?.ToString() ?? "n/a", Proc.Sysctl.PathOf(SomaxConnName)),
        new("tcp_syncookies", TcpSyncookies?.ToString() ?? "n/a", Proc.Sysctl.PathOf(TcpSyncookiesName)),
        .. Sysctls.Select(s => new EnvironmentFact(s.Name, s.Value ?? "absent: this kernel has no such setting", $"{Proc.Sysctl.PathOf(s.Name)} ({s.UsedBy})")),
    ];

    /// <summary>"Debian GNU/Linux 12 (bookworm), kernel 6.x": cheap, no probes, for a one-line summary.</summary>
    public static string DescribeMachine() => $"{DescribeOperatingSystem()}, kernel {Proc.Sysctl.KernelRelease() ?? "n/a"}";


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

    /// <summary>A setting's text with its fields one space apart (ip_local_port_range separates them with a tab).</summary>
    private static string? ReadSetting(string name)
    {
        try { return Proc.Sysctl.Read(name) is string text ? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static int? ReadInt(string name)
    {
        try { return Proc.Sysctl.ReadInt(name); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    /// <summary>The capability probe's answer (<see cref="Capabilities"/>, the one place that tries), in the report's terms.</summary>
    private static Permission AsPermission(CapabilityProbe probe) => new(probe.Allowed, $"{probe.Tried}: {probe.Outcome}");
}

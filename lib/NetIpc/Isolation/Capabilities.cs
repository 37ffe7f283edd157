using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetIpc.Commands;
using NetIpc.Native;
using NetIpc.Proc;

namespace NetIpc.Isolation;

/// <summary>How an experiment with needs runs here: in this process, in a child process inside a user namespace of its own, or not at all.</summary>
public enum RouteKind
{
    InProcess,
    UserNamespaceChild,
    Unavailable,
}

/// <summary>The way an experiment will run here, and — when it cannot — the one sentence saying why.</summary>
public sealed record Route(RouteKind Kind, string Description)
{
    public bool CanRun => Kind != RouteKind.Unavailable;

    /// <summary>Why it cannot run, or null when it can.</summary>
    public string? WhyNot => CanRun ? null : Description;

    /// <summary>The Linux capability this process lacked first (CAP_SYS_ADMIN), where it cannot run.</summary>
    public string? Lacks { get; init; }

    /// <summary>What refused a user namespace to the child that could have run it, where that is why it cannot run.</summary>
    public UserNamespaceBlock? Block { get; init; }

    /// <summary>Where user namespaces are blocked, what is missing in a few words; null otherwise.</summary>
    public string? Blocked => Block is null ? null : $"needs {Lacks}, and user namespaces are blocked here";

    /// <summary>
    /// Where user namespaces are blocked, the short line every recorded cell shows instead of
    /// <see cref="Description"/>: chapter 00 says the cause and the remedy once. Null otherwise.
    /// </summary>
    public string? Brief => Blocked is string blocked ? $"{blocked} (see chapter 00)" : null;
}

/// <summary>
/// What this process may do, each capability found by trying it once (and remembered): the one place
/// the live-or-recorded choice, the chapters and the tests ask. Where this process lacks something,
/// a child process inside a user namespace of its own may still have it (an ordinary user on most
/// Linux distributions does): <see cref="InUserNamespace"/> asks such a child the same questions.
/// </summary>
public static class Capabilities
{
    /// <summary>Set in the environment of a child started by <see cref="UserNamespaceChild"/>: it never starts another.</summary>
    internal const string ChildMarker = "NETIPC_USER_NAMESPACE_CHILD";

    // Three groups, each tried on first use: every chapter asks about /proc/net, only some need the
    // namespace probe (a thread and three ip commands), so a chapter without them never pays for it.
    private static readonly Lazy<CapabilityProbe> procNet = new(() => OnLinux([Capability.ProcNet], () => [ProbeProcNet()])[0]);
    private static readonly Lazy<IReadOnlyList<CapabilityProbe>> sockets = new(() =>
        OnLinux([Capability.RawSocket, Capability.PacketSocket], () => [ProbeSocket(Capability.RawSocket), ProbeSocket(Capability.PacketSocket)]));
    private static readonly Lazy<IReadOnlyList<CapabilityProbe>> namespaces = new(() =>
        OnLinux([Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair, Capability.NetSysctl], ProbeNamespace));
    private static readonly Lazy<IReadOnlyList<CapabilityProbe>> here = new(() => [procNet.Value, .. sockets.Value, .. namespaces.Value]);
    private static readonly Lazy<UserNamespaceProbe> inUserNamespace = new(UserNamespaceChild.Probe);

    /// <summary>Every capability, tried in this process.</summary>
    public static IReadOnlyList<CapabilityProbe> Here => here.Value;

    /// <summary>Every capability as a child process inside a new user and network namespace sees it, or why no such child could start.</summary>
    public static UserNamespaceProbe InUserNamespace => inUserNamespace.Value;

    /// <summary>Whether this process itself may do <paramref name="capability"/>.</summary>
    public static CapabilityProbe Of(Capability capability) => capability switch
    {
        Capability.ProcNet => procNet.Value,
        Capability.RawSocket or Capability.PacketSocket => sockets.Value.First(p => p.Capability == capability),
        _ => namespaces.Value.First(p => p.Capability == capability),
    };

    /// <summary>True in a child started to run an experiment inside a user namespace.</summary>
    public static bool IsUserNamespaceChild => Environment.GetEnvironmentVariable(ChildMarker) == "1";

    /// <summary>
    /// How an experiment that needs <paramref name="needs"/> runs here: in this process when it has them
    /// all, else in a child process inside a user namespace of its own when that child has them all,
    /// else not at all — with the first missing capability's sentence (and why a child would not help).
    /// </summary>
    public static Route RouteFor(IEnumerable<Capability> needs)
    {
        var needed = needs.Distinct().ToList();
        var missing = needed.Select(Of).FirstOrDefault(p => !p.Allowed);
        if (missing is null)
        {
            return new Route(RouteKind.InProcess, "in this process");
        }
        if (IsUserNamespaceChild || missing.Capability == Capability.ProcNet)
        {
            return new Route(RouteKind.Unavailable, missing.Outcome);
        }
        var child = InUserNamespace;
        if (child.Probes is null)
        {
            return new Route(RouteKind.Unavailable, $"{missing.Outcome}; {child.Outcome}")
            {
                Lacks = LinuxCapability(missing.Capability).Name,
                Block = child.Block,
            };
        }
        var missingInChild = needed.Select(n => child.Probes.First(p => p.Capability == n)).FirstOrDefault(p => !p.Allowed);
        return missingInChild is null
            ? new Route(RouteKind.UserNamespaceChild,
                $"in a child process inside a user namespace of its own, where it may do what this process may not ({missing.Outcome})")
            : new Route(RouteKind.Unavailable, $"{missing.Outcome}; inside a user namespace of its own too: {missingInChild.Outcome}");
    }

    public static Route RouteFor(params Capability[] needs) => RouteFor((IEnumerable<Capability>)needs);

    private static IReadOnlyList<CapabilityProbe> OnLinux(Capability[] capabilities, Func<IReadOnlyList<CapabilityProbe>> probe) =>
        OperatingSystem.IsLinux() ? probe()
        : [.. capabilities.Select(c => new CapabilityProbe(c, false, "nothing", "needs Linux: this is " + RuntimeInformation.OSDescription))];

    private static CapabilityProbe ProbeProcNet()
    {
        const string tried = "read the first line of /proc/net/tcp";
        try
        {
            using var reader = File.OpenText("/proc/net/tcp");
            return reader.ReadLine() is null
                ? new(Capability.ProcNet, false, tried, "/proc/net/tcp is empty: /proc is not the kernel's here")
                : new(Capability.ProcNet, true, tried, "read it");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(Capability.ProcNet, false, tried, $"cannot read /proc/net/tcp ({e.Message}): the socket tables are hidden here");
        }
    }

    private static CapabilityProbe ProbeSocket(Capability capability)
    {
        // Protocol 0 on the packet socket: it is never bound to a protocol, so it receives nothing while open.
        var (family, protocol, tried) = capability == Capability.RawSocket
            ? (AddressFamily.InterNetwork, ProtocolType.Raw, "socket(AF_INET, SOCK_RAW, IPPROTO_RAW)")
            : (AddressFamily.Packet, (ProtocolType)0, "socket(AF_PACKET, SOCK_RAW, 0)");
        try
        {
            using var socket = new Socket(family, SocketType.Raw, protocol); // .NET opens every socket with SOCK_CLOEXEC
            return new(capability, true, tried, "opened it and closed it again");
        }
        catch (SocketException e)
        {
            return new(capability, false, tried, WhyNot(capability, e.ErrorCode, Errno.Describe(e.ErrorCode)));
        }
    }

    /// <summary>
    /// unshare(CLONE_NEWNET) moves only the calling thread, so the probe runs on a thread of its own; the
    /// namespace, its loopback and its veth pair vanish when the thread ends. The sysctl written is the
    /// namespace's own copy, and it is written with the value it already has.
    /// </summary>
    private static IReadOnlyList<CapabilityProbe> ProbeNamespace()
    {
        var results = new List<CapabilityProbe>();
        Namespaces.NamespaceThreads.StartRuntimeThreadsOutside();
        string? ns = null;
        int owner = 0;
        var thread = new Thread(() =>
        {
            const string unshare = "unshare(CLONE_NEWNET) on a thread of its own";
            if (LibC.Unshare(LibC.CloneNewNet) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                results.Add(new(Capability.NetworkNamespace, false, unshare, WhyNot(Capability.NetworkNamespace, errno, Errno.Describe(errno))));
                foreach (var later in new[] { Capability.LoopbackUp, Capability.VethPair, Capability.NetSysctl })
                {
                    results.Add(new(later, false, "nothing", "needs a network namespace of the experiment's own, and none could be created"));
                }
                return;
            }
            (ns, owner) = (Namespaces.NamespaceThreads.OfCurrentThread(), LibC.GetThreadId());
            results.Add(new(Capability.NetworkNamespace, true, unshare, "created one; it vanished with the thread"));
            results.Add(ProbeIp(Capability.LoopbackUp, "ip link set lo up", "link", "set", "lo", "up"));
            results.Add(ProbeIp(Capability.VethPair, "ip link add probe0 type veth peer name probe1", "link", "add", "probe0", "type", "veth", "peer", "name", "probe1"));
            results.Add(ProbeSysctl());
        }) { IsBackground = true, Name = "capability probe" };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(20)))
        {
            return [.. Enum.GetValues<Capability>().Skip(3).Select(c => new CapabilityProbe(c, false, "unshare(CLONE_NEWNET) and ip", "the probe did not finish within 20 s"))];
        }
        if (ns is not null)
        {
            Namespaces.NamespaceThreads.RequireNoneLeftIn(ns, owner, "after the capability probe's namespace");
        }
        return results;
    }

    private static CapabilityProbe ProbeIp(Capability capability, string tried, params string[] arguments)
    {
        try
        {
            var ip = ExternalCommand.Run("ip", arguments, TimeSpan.FromSeconds(5));
            return ip.ExitCode == 0
                ? new(capability, true, tried, "done inside the probe's namespace")
                : new(capability, false, tried, WhyNot(capability, ip.StandardError.Contains("not permitted") ? Errno.EPERM : 0, ip.StandardError.Trim()));
        }
        catch (FileNotFoundException)
        {
            return new(capability, false, tried, "needs the ip command (Debian package iproute2), which is not installed here: apt-get install iproute2");
        }
        catch (TimeoutException e)
        {
            return new(capability, false, tried, e.Message);
        }
    }

    private static CapabilityProbe ProbeSysctl()
    {
        const string name = "net.core.somaxconn";
        const string tried = "write net.core.somaxconn (its own value) in the probe's namespace";
        try
        {
            // /proc/sys/net belongs to the namespace of the thread that opens it: this probe's.
            string value = Sysctl.Read(name) ?? throw new FileNotFoundException($"this kernel has no {name}", Sysctl.PathOf(name));
            Sysctl.Write(name, value);
            return new(Capability.NetSysctl, true, tried, "written");
        }
        catch (UnauthorizedAccessException e)
        {
            return new(Capability.NetSysctl, false, tried, WhyNot(Capability.NetSysctl, Errno.EACCES, e.Message));
        }
        catch (IOException e)
        {
            int errno = e.HResult & 0xFFFF;
            return new(Capability.NetSysctl, false, tried, errno == Errno.EROFS
                ? "needs a writable /proc/sys, and /proc/sys is mounted read-only here (as containers mount it)"
                : WhyNot(Capability.NetSysctl, errno, e.Message));
        }
    }

    /// <summary>The Linux capability behind each of ours: what the kernel checks (ns_capable) before allowing it.</summary>
    private static (string Name, int Bit) LinuxCapability(Capability capability) => capability switch
    {
        Capability.NetworkNamespace => ("CAP_SYS_ADMIN", 21),
        Capability.RawSocket or Capability.PacketSocket => ("CAP_NET_RAW", 13),
        _ => ("CAP_NET_ADMIN", 12),
    };

    /// <summary>
    /// One plain sentence for a refusal. The decision was the kernel's; the uid and the effective
    /// capability set (/proc/self/status CapEff) only choose the words that explain it.
    /// </summary>
    private static string WhyNot(Capability capability, int errno, string said)
    {
        var (name, bit) = LinuxCapability(capability);
        bool permission = errno is Errno.EPERM or Errno.EACCES;
        bool holds = EffectiveCapabilities() is ulong set && (set & (1UL << bit)) != 0;
        uint uid = LibC.GetEffectiveUserId();
        string dockerFlag = name["CAP_".Length..];
        return (permission, holds, uid) switch
        {
            (true, false, 0) when capability == Capability.NetworkNamespace || name == "CAP_NET_ADMIN" =>
                $"needs {name}, which this process lacks although it runs as root: this looks like a container started without --cap-add {dockerFlag} (Docker's default set leaves it out)",
            (true, false, 0) => $"needs {name}, which this process lacks although it runs as root: this looks like a container started with --cap-drop {dockerFlag}",
            (true, false, _) => $"needs {name}: this process runs as an ordinary user (uid {uid}) without it",
            (true, true, _) => $"refused ({said}) although this process holds {name}: a security policy (seccomp, AppArmor, SELinux) forbids it here",
            _ => $"failed: {said}",
        };
    }

    private static ulong? EffectiveCapabilities()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is null ? null : ulong.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetIpc.Native;
using NetIpc.Sockets;

namespace NetIpc.Unix;

/// <summary>One connect() to a listening UNIX socket, and what it returned.</summary>
/// <param name="As">Who connected: a thread without capabilities, or the process as it is.</param>
/// <param name="Mode">The socket file's permissions at the time ("rwxr-xr-x"), or "(no file)" for an abstract name.</param>
public sealed record SocketPermissionCase(string As, string Address, string Mode, string Connect, int Errno);

/// <summary>Who may connect to a UNIX socket: a path is a file with permissions, an abstract name has none.</summary>
/// <param name="Umask">The process's umask, which bind() applies to the file it creates (mode 0777 &amp; ~umask).</param>
/// <param name="CapabilitiesBefore">The process's effective capabilities (the connecting thread's before it dropped them), as a hex mask.</param>
/// <param name="AbstractPeerUid">SO_PEERCRED's uid on the abstract listener's accepted end: the only check it can make.</param>
public sealed record SocketPermissionsResult(string Umask, string CreatedMode, IReadOnlyList<SocketPermissionCase> Cases,
    string CapabilitiesBefore, uint ConnectingUid, uint AbstractPeerUid)
{
    /// <summary>CAP_DAC_OVERRIDE (bit 1, include/uapi/linux/capability.h) in the process's effective set: file permission checks pass.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool DacOverride => (Convert.ToUInt64(CapabilitiesBefore[2..], 16) & (1UL << 1)) != 0;
}

/// <summary>
/// connect(2) to a path needs write permission on the socket file (unix_find_bsd: path_permission(MAY_WRITE)); an
/// abstract name is looked up in the network namespace's table with no permission check at all. A process with
/// CAP_DAC_OVERRIDE (root, a container's root) passes every file permission check, so the connects run on a thread
/// that first drops its effective capabilities — capabilities are per thread — and sees the permissions as an
/// ordinary process of the same user does. That makes the result the same wherever the course runs.
/// </summary>
internal static class SocketPermissionsExperiment
{
    private const string WithoutAny = "a thread of this process without capabilities";

    public static SocketPermissionsResult Run()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("socket file permissions and capabilities are Linux's");
        }
        using var files = new SocketFiles();
        string path = files["guarded.sock"];
        string abstractName = files.Abstract("open");
        using var pathListener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        pathListener.Bind(new UnixDomainSocketEndPoint(path));
        pathListener.Listen(4);
        using var abstractListener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        abstractListener.Bind(new UnixDomainSocketEndPoint(abstractName));
        abstractListener.Listen(4);

        string created = Mode(path);
        var (capabilities, uid, cases) = WithoutCapabilities<IReadOnlyList<SocketPermissionCase>>(() =>
        {
            var asCreated = Connect(path, created, path);
            NoWritePermission(path);
            var readOnly = Connect(path, Mode(path), path);
            var anyone = Connect("@" + abstractName[1..].Replace('\0', '@'), "(no file)", abstractName);
            return [asCreated, readOnly, anyone];
        });
        // The same read-only file from this thread, with whatever capabilities the process has.
        var withCapabilities = Connect(path, Mode(path), path) with { As = $"this process (effective capabilities {capabilities})" };

        // The abstract connection is in the listener's queue: all its server can do is ask who is there.
        if (!abstractListener.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectRead))
        {
            throw new TimeoutException("the abstract listener had no connection to accept within 2 s");
        }
        using var accepted = abstractListener.Accept();
        var (_, peerUid, _) = ScmRights.PeerCredentials(accepted);
        return new SocketPermissionsResult(Convert.ToString(Umask(), 8).PadLeft(4, '0'), created, [.. cases, withCapabilities], capabilities, uid, peerUid);
    }

    private static SocketPermissionCase Connect(string address, string mode, string endpoint)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            client.Connect(new UnixDomainSocketEndPoint(endpoint));
            return new SocketPermissionCase(WithoutAny, address, mode, "connect() = 0", 0);
        }
        catch (SocketException e)
        {
            return new SocketPermissionCase(WithoutAny, address, mode, $"connect() = -1 {Errno.Describe(e.NativeErrorCode)}", e.NativeErrorCode);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a thread of its own with an empty effective capability set; the thread ends
    /// with the work, so no thread of this process keeps the reduced set.
    /// </summary>
    private static (string Before, uint Uid, T Result) WithoutCapabilities<T>(Func<T> work)
    {
        (string, uint, T)? outcome = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var header = new CapHeader { Version = LibC.CapabilityVersion3, Pid = 0 };
                Span<CapData> sets = stackalloc CapData[2];
                if (LibC.CapGet(ref header, sets) != 0)
                {
                    throw new InvalidOperationException($"capget(): {Errno.Describe(Marshal.GetLastPInvokeError())}");
                }
                string before = $"0x{((ulong)sets[1].Effective << 32) | sets[0].Effective:x}";
                sets[0].Effective = 0;
                sets[1].Effective = 0;
                header = new CapHeader { Version = LibC.CapabilityVersion3, Pid = 0 };
                if (LibC.CapSet(ref header, sets) != 0)
                {
                    throw new InvalidOperationException($"capset() lowering the effective set: {Errno.Describe(Marshal.GetLastPInvokeError())}");
                }
                outcome = (before, LibC.GetEffectiveUserId(), work());
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "no capabilities" };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("the connects without capabilities did not finish within 10 s");
        }
        return outcome ?? throw new InvalidOperationException($"connecting without capabilities failed: {failure?.Message}", failure);
    }

    /// <summary>chmod a-w: no write permission for anyone, the owner included (who may chmod without any capability).</summary>
    private static void NoWritePermission(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("socket file permissions are Linux's");
        }
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
    }

    private static string Mode(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("socket file permissions are Linux's");
        }
        var mode = File.GetUnixFileMode(path);
        char Bit(UnixFileMode bit, char letter) => mode.HasFlag(bit) ? letter : '-';
        return string.Concat(
            Bit(UnixFileMode.UserRead, 'r'), Bit(UnixFileMode.UserWrite, 'w'), Bit(UnixFileMode.UserExecute, 'x'),
            Bit(UnixFileMode.GroupRead, 'r'), Bit(UnixFileMode.GroupWrite, 'w'), Bit(UnixFileMode.GroupExecute, 'x'),
            Bit(UnixFileMode.OtherRead, 'r'), Bit(UnixFileMode.OtherWrite, 'w'), Bit(UnixFileMode.OtherExecute, 'x'));
    }

    /// <summary>The umask, from /proc/self/status (reading it with umask(2) would mean setting it).</summary>
    private static int Umask()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Umask:", StringComparison.Ordinal))
            {
                return Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
            }
        }
        throw new InvalidDataException("/proc/self/status has no Umask line");
    }
}

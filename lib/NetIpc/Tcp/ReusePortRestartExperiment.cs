using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Native;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>One restart over a TIME_WAIT: whether the old server had SO_REUSEPORT, and what the new one's bind() returned.</summary>
public sealed record ReusePortRestart(bool OldHadReusePort, int Port, bool TimeWaitOnPort, int BindErrno)
{
    public string BindResult => BindErrno == 0 ? "0 (bound)" : $"-1 {Errno.Describe(BindErrno)}";
}

/// <summary>The seed's advice tried: a restart with SO_REUSEPORT alone, over the old connection's TIME_WAIT.</summary>
public sealed record ReusePortRestartResult(IReadOnlyList<ReusePortRestart> Restarts)
{
    /// <summary>inet_bind_conflict lets a SO_REUSEPORT socket share the port with a TIME_WAIT only if the TIME_WAIT had it too.</summary>
    public IReadOnlyList<ProofCheck> Checks() =>
    [
        .. Restarts.Select(r => new ProofCheck(
            $"a TIME_WAIT holds the old server's port {r.Port}",
            r.TimeWaitOnPort, r.TimeWaitOnPort ? "TIME-WAIT line with that local port" : "no TIME_WAIT on that port")),
        .. Restarts.Select(r => new ProofCheck(
            r.OldHadReusePort
                ? "old server had SO_REUSEPORT: the new SO_REUSEPORT socket binds over its TIME_WAIT"
                : "old server had no SO_REUSEPORT: the new SO_REUSEPORT socket is refused (EADDRINUSE)",
            r.OldHadReusePort ? r.BindErrno == 0 : r.BindErrno == Errno.EADDRINUSE,
            $"bind() = {r.BindResult}")),
    ];


    public ReusePortRestartResult Require()
    {
        Checks().RequireAll();
        return this;
    }
}

/// <summary>A listener of another process that joined a port with SO_REUSEPORT, and the connections it took.</summary>
public sealed record PortSharedResult(int Port, int Connections, int ThisPid, int OtherPid, uint ThisUid, uint OtherUid, int QueuedHere, int QueuedInOther, int ListenLines)
{
    public IReadOnlyList<ProofCheck> Checks() =>
    [
        new("another process of the same user bound and listened on the port, with no error", OtherPid != ThisPid && OtherUid == ThisUid && ListenLines == 2,
            $"pid {OtherPid} (uid {OtherUid}) beside pid {ThisPid} (uid {ThisUid}); {ListenLines} LISTEN lines on port {Port}"),
        new($"the kernel handed it some of the {Connections} connections meant for this server", QueuedInOther > 0 && QueuedHere + QueuedInOther == Connections,
            $"{QueuedHere} in this process's accept queue, {QueuedInOther} in the other's"),
    ];


    public PortSharedResult Require()
    {
        Checks().RequireAll();
        return this;
    }
}

/// <summary>
/// The seed's advice for a restart — set SO_REUSEPORT — tried on loopback: it does get past the old connection's
/// TIME_WAIT when the old server set it too, and it lets any other process of the same user listen on the
/// port beside the server, silently taking a share of its connections. Ephemeral ports only; everything
/// opened is closed (the TIME_WAITs stay the kernel's 60 s).
/// </summary>
internal static class ReusePortRestartExperiment
{
    public static ReusePortRestartResult OverTimeWait() => new([Restart(oldHadReusePort: true), Restart(oldHadReusePort: false)]);

    private static ReusePortRestart Restart(bool oldHadReusePort)
    {
        int port, clientPort;
        using (var old = PlainTcp())
        using (var user = PlainTcp())
        {
            if (oldHadReusePort)
            {
                SetReusePort(old);
            }
            old.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = old.LocalPort();
            old.Listen(1);
            user.Connect(old.LocalEndPoint!);
            clientPort = user.LocalPort();
            using var connection = old.Accept();
            connection.Close(); // the server's side closes first, so the TIME_WAIT is on the server's port
            old.Close();
            // Both ports: another process's socket may have known this port number before (ephemeral ports come round again).
            bool ClientSawFin() => ProcNet.Self.Tcp().Any(e => e.Local.Port == clientPort && e.Remote.Port == port && e.State == KernelTcpState.CloseWait);
            Poll.Until(TimeSpan.FromSeconds(2), $"the client of port {port} to see the server's FIN", ClientSawFin, seen: () => OnPort(port));
        }
        // The client's close answered the FIN: the server's end is now TIME_WAIT, owned by nobody.
        bool TimeWait() => ProcNet.Self.Tcp().Any(e => e.Local.Port == port && e.Remote.Port == clientPort && e.State == KernelTcpState.TimeWait);
        Poll.Until(TimeSpan.FromSeconds(2), $"a TIME_WAIT on port {port}", TimeWait, seen: () => OnPort(port));

        using var restarted = PlainTcp();
        SetReusePort(restarted); // the seed's advice: SO_REUSEPORT, not SO_REUSEADDR
        int errno = 0;
        try
        {
            restarted.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch (SocketException e)
        {
            errno = e.NativeErrorCode;
        }
        return new ReusePortRestart(oldHadReusePort, port, TimeWait(), errno);
    }

    /// <summary>
    /// Every line of /proc/net/tcp with <paramref name="port"/> at either end, for a timeout's message, and the
    /// counters of the ways a closing socket can skip TIME_WAIT (no bucket left; out of memory).
    /// </summary>
    private static string OnPort(int port)
    {
        var lines = ProcNet.Self.Tcp().Where(e => e.Local.Port == port || e.Remote.Port == port)
            .Select(e => $"{e.Local} → {e.Remote} {SocketTable.SsStateName(e.State)} (timer {e.Timer})").ToList();
        var counters = ProcNet.Self.Counters();
        string Counter(string name) => $"{name} {(counters.TryGetValue(name, out long v) ? v.ToString(CultureInfo.InvariantCulture) : "absent")}";
        return (lines.Count == 0 ? "no line with that port" : string.Join("; ", lines)) +
               $" ({Counter("TcpExt.TCPTimeWaitOverflow")}, {Counter("TcpExt.TCPAbortOnMemory")})";
    }

    /// <summary>
    /// This process listens with SO_REUSEPORT; a second process of the same user (the course's experiment host)
    /// binds the same port the same way; <paramref name="connections"/> clients connect. The accept queues of
    /// the two LISTEN lines say who got what.
    /// </summary>
    public static PortSharedResult SharedByAnotherProcess(int connections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(connections, 200);
        var clients = new List<Socket>();
        using var server = PlainTcp();
        SetReusePort(server);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = server.LocalPort();
        server.Listen(connections);
        using var other = PortHolder.Start(port, connections);
        try
        {
            for (int i = 0; i < connections; i++)
            {
                var client = PlainTcp();
                clients.Add(client);
                client.Connect(new IPEndPoint(IPAddress.Loopback, port));
            }
            ulong mine = Descriptor.InodeOf(server);
            var listeners = new List<TcpSocketEntry>();
            int Queued() => (int)ListenLines().Sum(e => (long)e.RxQueue);
            List<TcpSocketEntry> ListenLines() => listeners = ProcNet.Self.Tcp().Where(e => e.State == KernelTcpState.Listen && e.Local.Port == port).ToList();
            // connect() returns at the SYN-ACK; the server's end joins an accept queue a moment later.
            Poll.Until(TimeSpan.FromSeconds(2), $"{connections} connections in the accept queues of port {port}", () => Queued() >= connections,
                seen: () => $"{Queued()} queued");
            var here = listeners.FirstOrDefault(e => e.Inode == mine);
            var there = listeners.FirstOrDefault(e => e.Inode == other.Inode);
            return new PortSharedResult(port, connections, Environment.ProcessId, other.Pid,
                here?.Uid ?? uint.MaxValue, there?.Uid ?? uint.MaxValue - 1,
                (int)(here?.RxQueue ?? 0), (int)(there?.RxQueue ?? 0), listeners.Count);
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Abort();
            }
        }
    }

    /// <summary>
    /// A TCP socket with no option .NET adds by itself: Socket.Bind sets SO_REUSEADDR on a socket created as
    /// ProtocolType.Tcp (dotnet/runtime's SystemNative_Bind, to let Linux bind over a TIME_WAIT as Windows does),
    /// which would decide these experiments. Protocol 0 gets TCP from the kernel all the same.
    /// </summary>
    internal static Socket PlainTcp() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);

    internal static void SetReusePort(Socket s) =>
        s.SetRawSocketOption(SocketOptions.SolSocket, SocketOptions.SoReusePort, BitConverter.GetBytes(1));
}

/// <summary>
/// A second process holding a port with SO_REUSEPORT: the course's experiment host, run with <c>hold-port</c>.
/// It says "listening &lt;inode&gt;" once it listens and exits when its standard input closes (or after its own limit).
/// </summary>
public sealed class PortHolder : IDisposable
{
    private readonly Process process;

    private PortHolder(Process process, ulong inode)
    {
        this.process = process;
        Inode = inode;
    }

    public int Pid => process.Id;

    /// <summary>The inode of the holder's listening socket, as /proc/net/tcp shows it.</summary>
    public ulong Inode { get; }

    public static PortHolder Start(int port, int backlog)
    {
        string host = UserNamespaceChild.FindHost() ?? throw new InvalidOperationException(
            "the second process is the course's experiment host (artifacts/bin/ExperimentHost), which is not built: run dotnet build Course.sln");
        var start = new ProcessStartInfo(UserNamespaceChild.DotnetHost())
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { host, "hold-port", port.ToString(CultureInfo.InvariantCulture), backlog.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("the experiment host did not start");
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(30)) || line.Result is not { } said || !said.StartsWith("listening ", StringComparison.Ordinal))
        {
            string error = process.HasExited ? process.StandardError.ReadToEnd().Trim() : "no answer within 30 s";
            Stop(process);
            throw new InvalidOperationException($"the second process could not hold port {port}: {error}");
        }
        return new PortHolder(process, ulong.Parse(said["listening ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>Runs in the second process: listen on <paramref name="port"/> with SO_REUSEPORT until <paramref name="input"/> closes.</summary>
    public static void HoldHere(int port, int backlog, TextReader input, TextWriter output, TimeSpan limit)
    {
        using var socket = ReusePortRestartExperiment.PlainTcp();
        ReusePortRestartExperiment.SetReusePort(socket);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen(backlog);
        output.WriteLine($"listening {Descriptor.InodeOf(socket)}");
        output.Flush();
        // The parent closes our standard input when it is done; the limit keeps an orphan from holding the port.
        input.ReadToEndAsync().Wait(limit);
    }

    public void Dispose() => Stop(process);

    private static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.SocketTables;

/// <summary>One of the demo's sockets in the descriptor table: its fd, what /proc/self/fd/&lt;fd&gt; links to, its role.</summary>
public sealed record DemoDescriptor(int Fd, string Target, string Role);

/// <summary>A line of the table for the demo's port, and who owns its inode ("nobody" for inode 0).</summary>
public sealed record DemoLine(TcpSocketEntry Entry, string OwnedBy);

/// <summary>How far a kernel counter moved.</summary>
public sealed record CounterChange(string Counter, long Change);

/// <summary>
/// Chapter 01: the seed's server on 9501 and a telnet-like client, both in this process, seen
/// through /proc/self/fd and /proc/net/tcp. Live where /proc/net exists; otherwise it replays the
/// recording data/proc/seed-server, which shows the end state (one client accepted, one waiting).
/// </summary>
public sealed class SocketsAreFiles : IDisposable
{
    private readonly Socket? listener;
    private readonly List<Socket> opened = [];
    private readonly HashSet<int> clientPorts = [];
    private readonly ProcNet net;
    private readonly IReadOnlyList<FileDescriptor>? recordedFds;

    private SocketsAreFiles(Socket listener, PortChoice port)
    {
        this.listener = listener;
        Port = port.Port;
        Source = $"live: this machine's kernel; the server listens on 0.0.0.0, {port.Sentence}";
        net = ProcNet.OfCallingThreadsNamespace; // where the listener was just created
    }

    private SocketsAreFiles(ProcNet recording, IReadOnlyList<FileDescriptor> fds, string provenance)
    {
        Port = SeedPort.Number;
        net = recording;
        recordedFds = fds;
        Source = $"{RecordingLabel.NotThisMachine}: this machine has no /proc/net, so you see data/proc/seed-server. {provenance}";
    }

    /// <summary>Where the tables come from; a recorded run says so.</summary>
    public string Source { get; }

    public bool IsRecorded => recordedFds is not null;

    public int Port { get; }

    /// <summary>The listening socket's fd, what the seed's <c>socket()</c> returned (3 there).</summary>
    public int ListenerFd => listener is null ? recordedFds![0].Fd : Descriptor.Of(listener);

    /// <summary>
    /// The listener on 0.0.0.0:9501 with the seed's backlog of 5, or the recording when there is no /proc/net.
    /// <paramref name="preferredPort"/> 0 keeps the demo off the seed's port, for callers (tests) that run
    /// while a chapter may want it.
    /// </summary>
    public static SocketsAreFiles Start(int preferredPort = SeedPort.Number)
    {
        if (!ProcNet.Self.Exists)
        {
            return Recorded();
        }
        var (socket, port) = SeedPort.Listen(IPAddress.Any, backlog: 5, preferredPort);
        return new SocketsAreFiles(socket, port);
    }

    /// <summary>The recording data/proc/seed-server, what a machine without /proc/net shows.</summary>
    public static SocketsAreFiles Recorded() =>
        new(Recordings.Proc("seed-server"),
            ProcessFds.ParseListing(Recordings.ReadText("proc/seed-server/fd"), "data/proc/seed-server/fd"),
            Recordings.Provenance("seed-server"));

    /// <summary>What <c>ls -l /proc/self/fd/&lt;fd&gt;</c> shows for the listener: "socket:[inode]".</summary>
    public string ListenerLink => LinkOf(ListenerFd);

    /// <summary>The link /proc/self/fd/&lt;fd&gt; holds for one of this demo's descriptors.</summary>
    public string LinkOf(int fd) => recordedFds is null ? ProcessFds.TargetOf(fd)
        : recordedFds.FirstOrDefault(f => f.Fd == fd)?.Target ?? throw new ArgumentException($"the recording has no fd {fd}", nameof(fd));

    /// <summary>Connects a client to the server, as <c>telnet 127.0.0.1 9501</c> does; returns the client's fd.</summary>
    public int Connect()
    {
        if (listener is null)
        {
            return RecordedFd(e => e.Remote.Port == Port);
        }
        // Counted before connect(): afterwards the new connection may already be in the queue.
        int expected = Pending + 1;
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        opened.Add(client);
        client.Connect(new IPEndPoint(IPAddress.Loopback, Port));
        clientPorts.Add(client.LocalPort());
        WaitForQueue(expected);
        return Descriptor.Of(client);
    }

    /// <summary>Takes one finished connection off the accept queue, as the seed's <c>accept()</c> does; returns its fd.</summary>
    public int Accept()
    {
        if (listener is null)
        {
            return RecordedFd(e => e.Local.Port == Port && e.State == KernelTcpState.Established);
        }
        var connection = listener.Accept();
        opened.Add(connection);
        return Descriptor.Of(connection);
    }

    /// <summary>The client writes, nobody reads: the bytes wait in the receiving socket's rx_queue.</summary>
    public void ClientSends(string text)
    {
        if (listener is null)
        {
            return;
        }
        var client = opened.First(s => s.RemoteEndPoint is IPEndPoint p && p.Port == Port);
        ulong before = UnreadOnServerSide();
        client.Send(System.Text.Encoding.ASCII.GetBytes(text));
        // Loopback delivers at once, but the table is read by another code path: wait until it shows the bytes.
        Poll.Until(TimeSpan.FromSeconds(2), $"the {text.Length} bytes sent to show in the rx_queue of the server's end on port {Port}",
            () => UnreadOnServerSide() > before, seen: () => $"rx_queue {UnreadOnServerSide()}, {before} before sending");
    }

    private ulong UnreadOnServerSide() =>
        Lines().Where(e => e.Local.Port == Port && e.State == KernelTcpState.Established).Aggregate(0UL, (sum, e) => sum + e.RxQueue);

    private int Pending => (int)(Lines().FirstOrDefault(e => e.State == KernelTcpState.Listen)?.RxQueue ?? 0);

    // connect() returns once the client has its SYN-ACK; the server's side lands in the accept queue a moment later.
    private void WaitForQueue(int expected) =>
        Poll.Until(TimeSpan.FromSeconds(2), $"{expected} connection(s) in the accept queue of the listener on port {Port}",
            () => Pending >= expected, seen: () => $"{Pending} in the queue");

    private int RecordedFd(Func<TcpSocketEntry, bool> which)
    {
        var inodes = Lines().Where(which).Select(e => e.Inode).Where(i => i != 0).ToHashSet();
        return recordedFds!.First(f => f.SocketInode is ulong i && inodes.Contains(i)).Fd;
    }

    /// <summary>
    /// The lines of /proc/net/tcp that belong to this demo: the listener and both ends of each connection
    /// it made (other programs' connections to the same port, or old ones lingering in TIME_WAIT, are left out).
    /// </summary>
    public IReadOnlyList<TcpSocketEntry> Lines() => Ours(net.Tcp());

    // DistinctBy: /proc/net/tcp is no snapshot; read in chunks while other sockets come and go, it can list
    // one connection twice.
    private List<TcpSocketEntry> Ours(TcpTable table) =>
        table.Where(e => IsRecorded ? e.Local.Port == Port || e.Remote.Port == Port
            : (e.State == KernelTcpState.Listen && e.Local.Port == Port)
              || (e.Local.Port == Port && clientPorts.Contains(e.Remote.Port))
              || (e.Remote.Port == Port && clientPorts.Contains(e.Local.Port))).DistinctBy(e => (e.Local, e.Remote)).ToList();

    /// <summary>The kernel's own text for those lines, header first, as the seed prints it.</summary>
    public string RawLines()
    {
        string raw = net.Read("tcp");
        var ours = Ours(TcpTable.Parse(raw)).Select(e => e.Slot).ToHashSet();
        var text = raw.Split('\n');
        return string.Join('\n', text.Take(1).Concat(text.Skip(1).Where(l => l.Contains(':') && ours.Contains(int.Parse(l.AsSpan(0, l.IndexOf(':')).Trim()))))
            .Select(l => l.TrimEnd()));
    }

    /// <summary>
    /// This demo's sockets in this process's descriptor table, each with the role the table gives it:
    /// a LISTEN line is the listening socket, an ESTABLISHED line on the server's port is an accepted
    /// connection, one towards the server's port is the client.
    /// </summary>
    public IReadOnlyList<DemoDescriptor> DescriptorRows()
    {
        var lines = Lines().Where(e => e.Inode != 0).ToDictionary(e => e.Inode);
        var fds = (recordedFds ?? ProcessFds.OfSelf()).Where(f => f.SocketInode is ulong i && lines.ContainsKey(i)).ToList();
        return fds.Select(f => new DemoDescriptor(f.Fd, f.Target, RoleOf(lines[f.SocketInode!.Value]))).ToList();
    }

    /// <summary>The table's lines for the port, with the fd that owns each inode ("nobody" for inode 0).</summary>
    public IReadOnlyList<DemoLine> TableRows()
    {
        var lines = Lines();
        var owners = (recordedFds ?? ProcessFds.OfSelf()).Where(f => f.SocketInode is not null).ToLookup(f => f.SocketInode!.Value, f => f.Fd);
        return lines.Select(e => new DemoLine(e, e.Inode == 0 ? "nobody yet: waiting in the accept queue"
            : owners[e.Inode].Any() ? $"fd {string.Join(", ", owners[e.Inode])} ({RoleOf(e)})" : "another process")).ToList();
    }

    private string RoleOf(TcpSocketEntry e) => e.State switch
    {
        KernelTcpState.Listen => "listening socket",
        _ when e.Local.Port == Port => "connected socket, from accept()",
        _ => "client, like telnet",
    };

    /// <summary>
    /// Closes every socket the demo opened, client first, and returns how the kernel's counters moved
    /// meanwhile: closing a socket that still holds unread bytes aborts the connection with a reset.
    /// </summary>
    public IReadOnlyList<CounterChange> CloseAll()
    {
        if (IsRecorded)
        {
            Dispose();
            return [];
        }
        var before = net.Counters();
        Dispose();
        var delta = before.DeltaTo(net.Counters());
        string[] names = ["TcpExt.TCPAbortOnClose", "Tcp.OutRsts"];
        return names.Select(n => new CounterChange(n, delta.TryGetValue(n, out long v) ? v : 0)).ToList();
    }

    /// <summary>
    /// Closes the demo's sockets and waits (up to a second) for their lines to leave /proc/net/tcp; a live close that
    /// does not do what chapter 01 says (<see cref="SocketsAreFilesChecks.Checks"/>) throws <see cref="ProofFailedException"/>.
    /// </summary>
    public DemoClosed Close()
    {
        var changes = CloseAll();
        if (IsRecorded)
        {
            return new DemoClosed(changes, [], IsRecorded: true);
        }
        // The resets cross loopback at once, but the table is read by another code path: give it a moment.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        while (Lines().Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }
        var closed = new DemoClosed(changes, Lines(), IsRecorded: false);
        closed.Checks().RequireAll();
        return closed;
    }

    /// <summary>
    /// Chapter 01's claim about its close, checked: nothing of the demo is left in the table (no TIME_WAIT), and
    /// the kernel counted at least one abort on close and one reset (other programs may add to these counters).
    /// </summary>
    public static IReadOnlyList<ProofCheck> AbortChecks(IReadOnlyList<CounterChange> changes, IReadOnlyList<TcpSocketEntry> linesAfter)
    {
        long Moved(string name) => changes.FirstOrDefault(c => c.Counter == name)?.Change ?? 0;
        return
        [
            new("no line of the demo is left, not even TIME_WAIT", linesAfter.Count == 0,
                linesAfter.Count == 0 ? "no lines" : string.Join("; ", linesAfter.Select(e => $"{e.State} {e.Local} → {e.Remote}"))),
            new("closing with unread bytes aborted the connection: TCPAbortOnClose and Tcp.OutRsts moved",
                Moved("TcpExt.TCPAbortOnClose") >= 1 && Moved("Tcp.OutRsts") >= 1,
                $"TCPAbortOnClose +{Moved("TcpExt.TCPAbortOnClose")}, OutRsts +{Moved("Tcp.OutRsts")}"),
        ];
    }

    public void Dispose()
    {
        foreach (var s in opened)
        {
            s.Dispose();
        }
        listener?.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.SocketTables;

/// <summary>One part of the zoo: what was opened, the state it should be in, and where its lines are.</summary>
public sealed record ZooPart(string What, string? ExpectedState, string? Where);

/// <summary>
/// Chapter 03: one socket of each kind and state the tables can show, made on loopback by this process,
/// so every column has a live value to explain: LISTEN, ESTABLISHED with unread bytes, FIN_WAIT2 /
/// CLOSE_WAIT, TIME_WAIT, SYN_RECV (held by TCP_DEFER_ACCEPT), a dual-stack IPv4-mapped connection,
/// a UDP receiver that dropped datagrams, and UNIX sockets (a path with a space, an abstract name).
/// Dispose closes everything with an abortive close, so only the deliberate TIME_WAIT lingers (60 s,
/// in the kernel, owned by no file).
/// </summary>
public sealed class SocketZoo : IDisposable
{
    private const int UnreadBytes = 5;

    private readonly List<Socket> sockets = [];
    private readonly HashSet<int> listenerPorts = [];
    private readonly HashSet<int> clientPorts = [];
    // One entry per TCP endpoint the zoo made, found again in the tables by its two ports.
    private readonly List<(string What, KernelTcpState Expected, int LocalPort, int RemotePort)> endpoints = [];
    private long deferAcceptDropsBefore = -1, deferAcceptDropsAfter = -1;
    private readonly SocketFiles files = new();
    private Socket? udpReceiver;
    private readonly ProcNet net;

    private SocketZoo(ProcNet net, string source)
    {
        this.net = net;
        Source = source;
    }

    /// <summary>Live, or the recording data/proc/edge-cases where this machine has no /proc/net.</summary>
    public string Source { get; private set; }

    public bool IsRecorded => net.IsRecorded;

    /// <summary>The main listener (null for a recording).</summary>
    public Socket? Listener => sockets.FirstOrDefault();

    /// <summary>The seed's port (or the one used instead) of the main listener.</summary>
    public int Port { get; private set; }

    /// <summary>The client port of the half-closed connection: its FIN_WAIT2 end.</summary>
    public int HalfClosedClientPort { get; private set; }

    public int DatagramsSent { get; private set; }

    public string UnixPath => files["seed server.sock"];

    /// <summary>The abstract name as C spells it; /proc/net/unix prints each NUL as '@'.</summary>
    public string AbstractName => files.Abstract("zoo");

    /// <summary>The zoo, its listener on the seed's port when the kernel allows; <paramref name="preferredPort"/> 0 keeps it off 9501 (tests).</summary>
    public static SocketZoo Start(int preferredPort = SeedPort.Number)
    {
        if (!ProcNet.Self.Exists)
        {
            return Recorded();
        }
        var zoo = new SocketZoo(ProcNet.Self, "live: this machine's kernel");
        try
        {
            zoo.Open(preferredPort);
            return zoo;
        }
        catch
        {
            zoo.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The same kinds of sockets, captured by data/proc/capture.py in a namespace of its own: every
    /// line in that recording belongs to the zoo.
    /// </summary>
    public static SocketZoo Recorded()
    {
        var zoo = new SocketZoo(Recordings.Proc("edge-cases"),
            $"{RecordingLabel.NotThisMachine}: there is no /proc/net here, so you see data/proc/edge-cases. {Recordings.Provenance("edge-cases")}");
        var finWait2 = zoo.Lines().First(l => l.Entry.State == KernelTcpState.FinWait2).Entry;
        zoo.HalfClosedClientPort = finWait2.Local.Port;
        zoo.Port = finWait2.Remote.Port;
        zoo.DatagramsSent = 50; // what capture.py sends
        return zoo;
    }

    private void Open(int preferredPort)
    {
        var (listener, port) = SeedPort.Listen(IPAddress.Loopback, backlog: 8, preferredPort);
        Keep(listener);
        Port = port.Port;
        Source = $"{Source}; the listener is on 127.0.0.1, {port.Sentence}";
        listenerPorts.Add(Port);

        endpoints.Add(("listener, like the seed's server", KernelTcpState.Listen, Port, 0));

        // ESTABLISHED, with bytes the server never reads.
        var (client, server) = Connection(listener);
        client.Send(new byte[UnreadBytes]);
        endpoints.Add(($"server end of a connection, holding the {UnreadBytes} bytes its client sent, unread", KernelTcpState.Established, Port, LocalPort(client)));
        endpoints.Add(("its client", KernelTcpState.Established, LocalPort(client), Port));

        // FIN_WAIT2 and CLOSE_WAIT: the client shuts down its sending side; the server never closes.
        (client, _) = Connection(listener);
        HalfClosedClientPort = LocalPort(client);
        client.Shutdown(SocketShutdown.Send);
        endpoints.Add(("a client that shut down its sending side", KernelTcpState.FinWait2, HalfClosedClientPort, Port));
        endpoints.Add(("its server end, which never closes", KernelTcpState.CloseWait, Port, HalfClosedClientPort));

        // TIME_WAIT: the client closes first, the server answers with its own FIN.
        (client, server) = Connection(listener);
        endpoints.Add(("a client that closed first (its server end closed too, and is gone)", KernelTcpState.TimeWait, LocalPort(client), Port));
        client.Close();
        server.ReceiveTimeout = 2000;
        if (server.Receive(new byte[1]) != 0)
        {
            throw new InvalidOperationException("expected end of stream from the closed client");
        }
        server.Close();

        // SYN_RECV: a listener with TCP_DEFER_ACCEPT drops the bare final ACK and keeps the request half-open.
        var deferred = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        deferred.SetRawSocketOption((int)SocketOptionLevel.Tcp, Native.SocketOptions.TcpDeferAccept, BitConverter.GetBytes(DeferAcceptSeconds));
        deferred.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        deferred.Listen(4);
        listenerPorts.Add(LocalPort(deferred));
        var waiting = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        deferAcceptDropsBefore = DeferAcceptDrops();
        waiting.Connect(deferred.LocalEndPoint!);
        clientPorts.Add(LocalPort(waiting));
        endpoints.Add(($"a listener with TCP_DEFER_ACCEPT ({DeferAcceptSeconds} s)", KernelTcpState.Listen, LocalPort(deferred), 0));
        endpoints.Add(("its client, which sends nothing: connect() returned, its ACK went out", KernelTcpState.Established, LocalPort(waiting), LocalPort(deferred)));
        endpoints.Add(("the listener's request for that client, still waiting for data", KernelTcpState.SynRecv, LocalPort(deferred), LocalPort(waiting)));

        // IPv4 client, dual-stack IPv6 listener: tcp6 shows ::ffff:127.0.0.1.
        if (Socket.OSSupportsIPv6)
        {
            var dual = Keep(new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true });
            dual.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
            dual.Listen(4);
            listenerPorts.Add(LocalPort(dual));
            var v4 = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            v4.Connect(new IPEndPoint(IPAddress.Loopback, LocalPort(dual)));
            clientPorts.Add(LocalPort(v4));
            Keep(dual.Accept());
            endpoints.Add(("a dual-stack IPv6 listener (tcp6)", KernelTcpState.Listen, LocalPort(dual), 0));
            endpoints.Add(("an IPv4 client of it (tcp)", KernelTcpState.Established, LocalPort(v4), LocalPort(dual)));
            endpoints.Add(("the listener's accepted end: tcp6, IPv4-mapped addresses", KernelTcpState.Established, LocalPort(dual), LocalPort(v4)));
        }

        // UDP: a receiver with the smallest buffer the kernel allows, flooded by a connected sender.
        udpReceiver = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 });
        udpReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sender = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        sender.Connect(udpReceiver.LocalEndPoint!);
        for (int i = 0; i < 50; i++)
        {
            sender.Send(new byte[512]);
            DatagramsSent++;
        }

        // UNIX: a listener at a path with a space, a connection to it, an abstract listener.
        var unix = Keep(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        unix.Bind(new UnixDomainSocketEndPoint(UnixPath));
        unix.Listen(2);
        var unixClient = Keep(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        unixClient.Connect(new UnixDomainSocketEndPoint(UnixPath));
        Keep(unix.Accept());
        var hidden = Keep(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        hidden.Bind(new UnixDomainSocketEndPoint(AbstractName));
        hidden.Listen(1);

        Poll.Until(TimeSpan.FromSeconds(3), "the zoo's sockets to reach their states", () => Lines().Select(l => l.Entry.State).ToHashSet() is var s
            && s.Contains(KernelTcpState.TimeWait) && s.Contains(KernelTcpState.SynRecv) && s.Contains(KernelTcpState.FinWait2) && s.Contains(KernelTcpState.CloseWait));
        deferAcceptDropsAfter = DeferAcceptDrops();
    }

    /// <summary>The zoo's TCP_DEFER_ACCEPT period: the kernel turns it into SYN-ACK timeouts (secs_to_retrans: 30 s → 5).</summary>
    public const int DeferAcceptSeconds = 30;

    /// <summary>TcpExt.TCPDeferAcceptDrop of this namespace: bare ACKs a TCP_DEFER_ACCEPT listener dropped (tcp_check_req).</summary>
    private long DeferAcceptDrops() => net.Counters().TryGetValue("TcpExt.TCPDeferAcceptDrop", out long v) ? v : -1;

    private (Socket Client, Socket Server) Connection(Socket listener)
    {
        var client = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        client.Connect(listener.LocalEndPoint!);
        clientPorts.Add(LocalPort(client));
        return (client, Keep(listener.Accept()));
    }

    private Socket Keep(Socket socket)
    {
        sockets.Add(socket);
        return socket;
    }

    private static int LocalPort(Socket s) => s.LocalPort();

    /// <summary>The zoo's lines of /proc/net/tcp and tcp6, each with the kernel's text.</summary>
    public IReadOnlyList<(string Text, TcpSocketEntry Entry)> Lines() =>
        TcpTable.ParseWithText(net.Read("tcp")).Concat(TcpTable.ParseWithText(ReadTcp6(), "tcp6"))
            .Where(l => IsOurs(l.Entry)).ToList();

    /// <summary>Every TCP socket of the namespace, the zoo's and everyone else's.</summary>
    public IReadOnlyList<TcpSocketEntry> AllTcp() => net.TcpAll();

    private string ReadTcp6() => File.Exists(Path.Combine(net.Path, "tcp6")) ? net.Read("tcp6") : "  sl  local_address remote_address st\n";

    /// <summary>Whether a line belongs to the zoo (in a recording, every line does).</summary>
    public bool IsOurs(TcpSocketEntry e) => IsRecorded ||
        (e.State == KernelTcpState.Listen && listenerPorts.Contains(e.Local.Port))
        || (listenerPorts.Contains(e.Local.Port) && clientPorts.Contains(e.Remote.Port))
        || (clientPorts.Contains(e.Local.Port) && listenerPorts.Contains(e.Remote.Port));

    /// <summary>
    /// Whether a row of a joined table (<see cref="SocketTable"/>, an ss comparison) is one of the zoo's, told by
    /// its ports the way <see cref="IsOurs(TcpSocketEntry)"/> tells a /proc line.
    /// </summary>
    public bool IsOurs(string state, string local, string remote)
    {
        int localPort = PortOf(local), remotePort = PortOf(remote);
        return IsRecorded
            || (state == "LISTEN" && listenerPorts.Contains(localPort))
            || (listenerPorts.Contains(localPort) && clientPorts.Contains(remotePort))
            || (clientPorts.Contains(localPort) && listenerPorts.Contains(remotePort));
    }

    /// <summary>The number after the last colon of "127.0.0.1:9501" or "[::]:9501"; 0 for "*" and the like.</summary>
    private static int PortOf(string endpoint) =>
        int.TryParse(endpoint.AsSpan(endpoint.LastIndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture, out int port) ? port : 0;

    /// <summary>The kernel's text of the zoo's first line in a state (for the ESTABLISHED state: the server end holding unread bytes).</summary>
    public string Line(KernelTcpState state) => Lines()
        .Where(l => l.Entry.State == state)
        .OrderByDescending(l => l.Entry.RxQueue)
        .Select(l => l.Text).FirstOrDefault()
        ?? throw new InvalidOperationException($"the zoo has no line in state {state} now");

    /// <summary>The tcp6 line of the IPv4 client's connection as the dual-stack listener's side sees it.</summary>
    public string MappedLine() => Lines().First(l => l.Entry.Local.Address.IsIPv4MappedToIPv6).Text;

    public string UdpReceiverLine()
    {
        var lines = net.Read("udp").Split('\n').Skip(1).Where(l => l.Trim().Length > 0).Select(l => l.TrimEnd());
        return IsRecorded
            ? lines.First(l => !l.EndsWith(" 0", StringComparison.Ordinal))
            : lines.First(l => l.Contains($":{LocalPort(udpReceiver!):X4} 00000000:0000", StringComparison.Ordinal));
    }

    /// <summary>
    /// What chapter 03 says about the zoo's lines, checked on them: the short lines' timers and inodes, the
    /// CLOSE_WAIT end's one "unread" byte (the FIN's sequence number: rcv_nxt moved, copied_seq did not), and
    /// the UDP receiver's rx_queue counting buffer memory, not payload.
    /// </summary>
    public IReadOnlyList<ProofCheck> Checks()
    {
        var lines = Lines().Select(l => l.Entry).ToList();
        var timeWait = lines.Where(e => e.State == KernelTcpState.TimeWait).ToList();
        var synRecv = lines.Where(e => e.State == KernelTcpState.SynRecv).ToList();
        var closeWait = lines.Where(e => e.State == KernelTcpState.CloseWait).ToList();
        var udp = UdpTable.ParseLine(UdpReceiverLine());
        long kept = DatagramsSent - (long)udp.Drops;
        string Show(IEnumerable<TcpSocketEntry> es) => es.Any() ? string.Join("; ", es.Select(e => $"timer {e.Timer}, inode {e.Inode}, rx_queue {e.RxQueue}")) : "no such line";
        List<ProofCheck> checks =
        [
            new("TIME_WAIT lines carry timer 3 (TimeWait) and inode 0", timeWait.Count > 0 && timeWait.All(e => e.Timer == TcpTimer.TimeWait && e.Inode == 0), Show(timeWait)),
            new("SYN_RECV lines carry timer 1 (the request's own timer, reqsk_timer) and inode 0", synRecv.Count > 0 && synRecv.All(e => e.Timer == TcpTimer.Retransmit && e.Inode == 0), Show(synRecv)),
            new("the CLOSE_WAIT end shows rx_queue 1: the FIN's sequence number", closeWait.Count > 0 && closeWait.All(e => e.RxQueue == 1), Show(closeWait)),
            new("the UDP receiver's rx_queue is more than 512 bytes × the datagrams it kept",
                kept > 0 && (long)udp.RxQueue > 512 * kept, $"rx_queue {udp.RxQueue} for {kept} kept ({DatagramsSent} sent, {udp.Drops} dropped)"),
        ];
        if (!IsRecorded)
        {
            checks.Add(DeferredAckDropped(deferAcceptDropsBefore, deferAcceptDropsAfter));
        }
        return checks;
    }

    /// <summary>
    /// The SYN_RECV line's client did send its ACK: TcpExt.TCPDeferAcceptDrop, read before its connect() and after
    /// the zoo settled, moved. Counted for the whole namespace, so at least by one (−1: no such counter).
    /// </summary>
    internal static ProofCheck DeferredAckDropped(long before, long after) =>
        new("the SYN_RECV client's ACK did arrive: the TCP_DEFER_ACCEPT listener dropped it (tcp_check_req sets the request's acked flag)",
            before >= 0 && after - before >= 1,
            before < 0 ? "no TcpExt.TCPDeferAcceptDrop counter here" : $"TcpExt.TCPDeferAcceptDrop +{after - before} while the zoo was made");

    /// <summary>The zoo's lines of /proc/net/unix (found by the inodes of its UNIX sockets).</summary>
    public IReadOnlyList<string> UnixLines()
    {
        var inodes = sockets.Where(s => s.AddressFamily == AddressFamily.Unix).Select(Descriptor.InodeOf).ToHashSet();
        return UnixTable.ParseWithText(net.Read("unix"))
            .Where(l => IsRecorded || inodes.Contains(l.Entry.Inode)).Select(l => l.Text).ToList();
    }

    /// <summary>The listening UNIX socket at <see cref="UnixPath"/>.</summary>
    public string UnixListenerLine() =>
        UnixLines().First(l => l.EndsWith(IsRecorded ? "seed server.sock" : UnixPath, StringComparison.Ordinal) && l.Contains(" 00010000 ", StringComparison.Ordinal));

    /// <summary>Reads every datagram the receiver kept; the rest were dropped by the kernel.</summary>
    public int DrainUdp()
    {
        if (IsRecorded)
        {
            // The capture's receiver kept what its 3840-byte buffer could hold; its count is sent − drops.
            return DatagramsSent - (int)UdpTable.Parse(net.Read("udp")).Max(e => e.Drops);
        }
        int received = 0;
        udpReceiver!.Blocking = false;
        var buffer = new byte[2048];
        while (udpReceiver.Available > 0 || udpReceiver.Poll(0, SelectMode.SelectRead))
        {
            try
            {
                udpReceiver.Receive(buffer);
                received++;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                break;
            }
        }
        return received;
    }

    /// <summary>What the zoo opened, one endpoint per row: the state it should be in, and its line (local → remote).</summary>
    /// <remarks>A recorded zoo opened nothing: its one part is the recording's own description, with no state or lines.</remarks>
    public IReadOnlyList<ZooPart> Parts()
    {
        if (IsRecorded)
        {
            return [new ZooPart(RecordingDescription(), null, null)];
        }
        var lines = Lines();
        string Where(KernelTcpState expected, int localPort, int remotePort)
        {
            var line = lines.FirstOrDefault(l => l.Entry.Local.Port == localPort && l.Entry.Remote.Port == remotePort);
            return line.Entry is not { } e ? "no such line now"
                : $"{e.Local} → {e.Remote}" + (e.State == expected ? "" : $" (the table shows {SocketTable.SsStateName(e.State)})");
        }
        var tcp = endpoints.Select(p => new ZooPart(p.What, SocketTable.SsStateName(p.Expected), Where(p.Expected, p.LocalPort, p.RemotePort)));
        ZooPart[] others =
        [
            new($"a UDP receiver with the smallest receive buffer, sent {DatagramsSent} datagrams of 512 bytes", "(UDP: no state; see drops)", UdpTable.ParseLine(UdpReceiverLine()).Local.ToString()),
            new("a UNIX stream listener at a path with a space", "see /proc/net/unix", UnixPath),
            new("a client connected to it, which never bound (no path)", "see /proc/net/unix", "(unnamed)"),
            new("the listener's accepted end (shows the listener's path)", "see /proc/net/unix", UnixPath),
            new("a UNIX stream listener with an abstract name", "see /proc/net/unix", $"@{AbstractName[1..].Replace('\0', '@')}"),
        ];
        return [.. tcp, .. others];
    }

    /// <summary>What the edge-cases recording holds, as its README says on its third line (under the title and a blank line).</summary>
    private static string RecordingDescription() => Recordings.ReadText("proc/edge-cases/README.md").Split('\n')[2];

    public void Dispose()
    {
        foreach (var s in sockets)
        {
            s.Abort(); // leave no FIN_WAIT/LAST_ACK behind; the deliberate TIME_WAIT was closed during setup
        }
        files.Dispose();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Native;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>How the counters of the experiment's own network namespace moved during one phase of it.</summary>
public sealed record OverflowCounters(long ListenOverflows, long ListenDrops, long OutRsts, long EmbryonicRsts, long EstabResets)
{
    internal static OverflowCounters Between(NetCounters before, NetCounters after)
    {
        long Moved(string name) => after[name] - before[name];
        return new(Moved("TcpExt.ListenOverflows"), Moved("TcpExt.ListenDrops"), Moved("Tcp.OutRsts"), Moved("TcpExt.EmbryonicRsts"), Moved("Tcp.EstabResets"));
    }
}

/// <summary>
/// One step of the overflow experiment: the line of the client the step is about, the server's line for that
/// client, the listener's accept queue, and the namespace's counters since the listener was opened.
/// </summary>
public sealed record AcceptOverflowStep(
    double TimeMs, string Step, string ClientLine, string ServerLine, int AcceptQueue, long ListenOverflows, long ListenDrops, long OutRsts);

/// <summary>With tcp_abort_on_overflow = 0: what became of the connection whose ACK was dropped.</summary>
public sealed record DroppedAckOutcome(
    int SynAckResends, string DataSent, int BytesWritten, long UnacknowledgedBytes, OverflowCounters FirstData,
    double CompletedAfterRoomMs, string ServerRead);

/// <summary>With tcp_abort_on_overflow = 1: what the client's next calls returned after the reset.</summary>
public sealed record ResetOutcome(string ReadResult, int ReadErrno, string WriteResult, int WriteErrno);

/// <summary>
/// What <see cref="Experiments.AcceptOverflow"/> saw. The late client's SYN met a full accept queue; the held
/// client's SYN got in while there was room and its final ACK arrived once the queue was full.
/// </summary>
public sealed record AcceptOverflowResult(
    int Backlog, bool AbortOnOverflow, int QueuedWhenFull,
    string LateClientState, bool LateClientHasRequest, OverflowCounters LateSyn,
    string HeldClientState, bool ServerHoldsRequest, OverflowCounters ThirdAck,
    DroppedAckOutcome? Dropped, ResetOutcome? Reset,
    IReadOnlyList<AcceptOverflowStep> Steps);

/// <summary>
/// A full accept queue meeting a handshake: the late SYN this kernel drops, and the final ACK it drops (or
/// answers with a reset, with net.ipv4.tcp_abort_on_overflow = 1).
/// </summary>
internal static class AcceptOverflowExperiment
{
    /// <summary>
    /// In a network namespace of its own, with tcp_abort_on_overflow set there only: a listener with
    /// <paramref name="backlog"/> that nobody accepts from. The held client connects first, deaf — a socket filter
    /// drops every packet sent to it — so its SYN creates a request (SYN_RECV) while the SYN-ACK never reaches
    /// it. backlog + 1 other clients then fill the accept queue. A late client connects into the full queue. Then
    /// the filter comes off; the next SYN-ACK (resent after a second) reaches the held client, which answers with
    /// the handshake's final ACK — into a full queue. With tcp_abort_on_overflow = 0 it also writes, and the
    /// server makes room and reads; with 1 it reads and writes after the reset. Every wait is bounded; every
    /// socket is closed, and the namespace goes with them.
    /// </summary>
    public static AcceptOverflowResult Run(int backlog, bool abortOnOverflow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(backlog, 1); // the held request must fit in the SYN queue beside each filler's
        ArgumentOutOfRangeException.ThrowIfGreaterThan(backlog, 16);
        return AcceptOverflowRun.Run((backlog, abortOnOverflow));
    }

    public static readonly IsolatedExperiment<(int Backlog, bool AbortOnOverflow), AcceptOverflowResult> AcceptOverflowRun = new(
        "accept-overflow", "07", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.NetSysctl],
        a => NetworkNamespace.Run((net, cancel) =>
        {
            NetworkNamespace.BringLoopbackUp();
            // /proc/sys/net belongs to the network namespace of the thread that opens it: this one's.
            Sysctl.Write("net.ipv4.tcp_abort_on_overflow", a.AbortOnOverflow ? 1 : 0);
            return Overflow(net, a.Backlog, a.AbortOnOverflow, cancel);
        }, TimeSpan.FromSeconds(45)));

    private const string Data = "hello";

    private static AcceptOverflowResult Overflow(ProcNet net, int backlog, bool abortOnOverflow, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        using var owned = new OwnedSockets(cancel, abortive: true);
        Socket Track(Socket s) => owned.Track(s);
        var listener = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        var server = (IPEndPoint)listener.LocalEndPoint!;
        var start = net.Counters();
        var steps = new List<AcceptOverflowStep>();

        void Record(string step, int clientPort, string? clientLine = null, string? serverLine = null)
        {
            var table = net.Tcp();
            var counters = start.DeltaTo(net.Counters());
            steps.Add(new AcceptOverflowStep(Math.Round(clock.Elapsed.TotalMilliseconds, 1), step,
                clientLine ?? View.Describe(View.ClientLine(table, clientPort, server.Port)),
                serverLine ?? View.DescribeServerSide(View.ServerLine(table, server.Port, clientPort)), View.AcceptQueue(table, server.Port),
                counters["TcpExt.ListenOverflows"], counters["TcpExt.ListenDrops"], counters["Tcp.OutRsts"]));
        }

        // The held client: deaf before it sends its SYN.
        var held = Track(NonBlockingClient());
        SocketFilter.DropEverything(held);
        int heldPort = StartConnect(held, server);
        Poll.Until(TimeSpan.FromSeconds(2), "the held client's SYN to create a request (SYN_RECV) on the server", () =>
            View.ServerLine(net.Tcp(), server.Port, heldPort)?.State == KernelTcpState.SynRecv,
            seen: () => View.DescribeServerSide(View.ServerLine(net.Tcp(), server.Port, heldPort)));
        Record("held client: connect(), with a socket filter dropping everything it receives", heldPort);

        // Fill the accept queue: backlog + 1 connections (sk_acceptq_is_full tests ack_backlog > backlog).
        var fillerPorts = new List<int>();
        for (int i = 0; i <= backlog; i++)
        {
            int port = StartConnect(Track(NonBlockingClient()), server);
            fillerPorts.Add(port);
            Poll.Until(TimeSpan.FromSeconds(2), $"filler client {i + 1} ESTABLISHED", () => View.ClientLine(net.Tcp(), port, server.Port)?.State == KernelTcpState.Established);
        }
        var filled = net.Tcp();
        int queued = View.AcceptQueue(filled, server.Port);
        Record($"{fillerPorts.Count} other clients connect", fillerPorts[0],
            $"{fillerPorts.Count(p => View.ClientLine(filled, p, server.Port)?.State == KernelTcpState.Established)} × ESTABLISHED",
            $"{fillerPorts.Count(p => View.ServerLine(filled, server.Port, p)?.State == KernelTcpState.Established)} × ESTABLISHED, waiting for accept()");
        var beforeLate = net.Counters();

        // The late client: its SYN arrives while the accept queue is full. It is closed as soon as the lines have
        // settled, long before it would resend its SYN (after 1 s); a socket in SYN_SENT closes without a word.
        var late = Track(NonBlockingClient());
        int latePort = StartConnect(late, server);
        var lateCounters = Settle(net, () => View.Describe(View.ClientLine(net.Tcp(), latePort, server.Port)) + View.DescribeServerSide(View.ServerLine(net.Tcp(), server.Port, latePort)));
        var lateTable = net.Tcp();
        late.Dispose();
        string lateState = View.Describe(View.ClientLine(lateTable, latePort, server.Port));
        bool lateHasRequest = View.ServerLine(lateTable, server.Port, latePort) is not null;
        var lateSyn = OverflowCounters.Between(beforeLate, lateCounters);
        Record("late client: connect() while the accept queue is full", latePort, lateState,
            View.DescribeServerSide(View.ServerLine(lateTable, server.Port, latePort)));

        // The held client hears again: the next SYN-ACK — the server's timer or an answer to the client's
        // resent SYN, about a second after the first — reaches it, and it sends the final ACK.
        var beforeAck = net.Counters();
        SocketFilter.Remove(held);
        Poll.Until(TimeSpan.FromSeconds(4), "the held client to receive a SYN-ACK and leave SYN_SENT", () =>
            View.ClientLine(net.Tcp(), heldPort, server.Port)?.State != KernelTcpState.SynSent,
            seen: () => View.Describe(View.ClientLine(net.Tcp(), heldPort, server.Port)));
        var ackCounters = Settle(net, () => View.Describe(View.ClientLine(net.Tcp(), heldPort, server.Port)) + View.DescribeServerSide(View.ServerLine(net.Tcp(), server.Port, heldPort)));
        var ackTable = net.Tcp();
        string heldState = View.Describe(View.ClientLine(ackTable, heldPort, server.Port));
        bool serverHoldsRequest = View.ServerLine(ackTable, server.Port, heldPort)?.State == KernelTcpState.SynRecv;
        var thirdAck = OverflowCounters.Between(beforeAck, ackCounters);
        Record("filter removed: the next SYN-ACK reaches the held client, which sends the final ACK", heldPort);

        DroppedAckOutcome? dropped = null;
        ResetOutcome? reset = null;
        held.Blocking = true;
        held.ReceiveTimeout = 2000;
        held.SendTimeout = 2000;
        if (!abortOnOverflow)
        {
            dropped = WaitItOut(net, listener, held, heldPort, server, (step, line) => Record(step, heldPort, line), Track, clock);
        }
        else
        {
            var (readResult, readErrno) = Call(() => held.Receive(new byte[16]), "read()");
            Record($"held client: {readResult}", heldPort);
            var (writeResult, writeErrno) = Call(() => held.Send(Encoding.ASCII.GetBytes(Data)), "write()");
            Record($"held client: {writeResult}", heldPort);
            reset = new ResetOutcome(readResult, readErrno, writeResult, writeErrno);
        }
        return new AcceptOverflowResult(backlog, abortOnOverflow, queued, lateState, lateHasRequest, lateSyn,
            heldState, serverHoldsRequest, thirdAck, dropped, reset, steps);
    }

    /// <summary>tcp_abort_on_overflow = 0: the server resends its SYN-ACK, the client's data waits, and room in the queue ends it.</summary>
    private static DroppedAckOutcome WaitItOut(ProcNet net, Socket listener, Socket held, int heldPort, IPEndPoint server,
        Action<string, string?> record, Func<Socket, Socket> track, Stopwatch clock)
    {
        // reqsk_timer_handler resends the SYN-ACK 1 s after the SYN (or 1 s after an answer to a resent SYN);
        // often it has already, and the SYN-ACK that reached the client was that one.
        bool resentAlready = View.ServerLine(net.Tcp(), server.Port, heldPort) is { Retransmits: >= 1 };
        Poll.Until(TimeSpan.FromSeconds(4), "the server to resend its SYN-ACK (retrnsmt ≥ 1 on the SYN_RECV line)", () =>
            View.ServerLine(net.Tcp(), server.Port, heldPort) is { State: KernelTcpState.SynRecv, Retransmits: >= 1 },
            seen: () => View.DescribeServerSide(View.ServerLine(net.Tcp(), server.Port, heldPort)));
        int resends = (int)View.ServerLine(net.Tcp(), server.Port, heldPort)!.Retransmits;
        if (!resentAlready)
        {
            record("the server's request timer fires: it resends the SYN-ACK", null);
        }

        var beforeData = net.Counters();
        int written = held.Send(Encoding.ASCII.GetBytes(Data));
        var dataCounters = Settle(net, () => View.Describe(View.ClientLine(net.Tcp(), heldPort, server.Port)));
        long unacknowledged = (long)(View.ClientLine(net.Tcp(), heldPort, server.Port)?.TxQueue ?? 0);
        record($"held client: write(\"{Data}\") = {written}", null);

        // Room for one: the next segment from the client (its resent data, or its answer to a resent SYN-ACK) completes the handshake.
        track(listener.Accept()); // kept open until the end: closing it would add a reset of its own to the counters
        var room = clock.Elapsed;
        record("server: accept() takes one connection off the queue", null);
        Poll.Until(TimeSpan.FromSeconds(12), "the held client's connection to complete once the queue had room", () =>
            View.ServerLine(net.Tcp(), server.Port, heldPort)?.State == KernelTcpState.Established,
            seen: () => View.DescribeServerSide(View.ServerLine(net.Tcp(), server.Port, heldPort)), every: TimeSpan.FromMilliseconds(10));
        double completedAfter = Math.Round((clock.Elapsed - room).TotalMilliseconds, 1);
        record("the next segment from the held client completes the handshake", null);

        // Take connections off the queue until the held client's; its data follows with the client's next retransmission.
        Socket? accepted = null;
        for (int i = 0; i < 8 && accepted is null; i++)
        {
            if (!listener.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectRead))
            {
                throw new TimeoutException("gave up waiting 2 s for accept() to have a connection for it");
            }
            var next = track(listener.Accept());
            if (((IPEndPoint)next.RemoteEndPoint!).Port == heldPort)
            {
                accepted = next;
            }
        }
        if (accepted is null)
        {
            throw new InvalidOperationException("the held client's connection never came out of accept()");
        }
        accepted.ReceiveTimeout = 12_000;
        var buffer = new byte[64];
        int n = accepted.Receive(buffer);
        string read = Encoding.ASCII.GetString(buffer, 0, n);
        record($"server: accept() returns it; read() = {n}: \"{read}\"", null);
        return new DroppedAckOutcome(resends, Data, written, unacknowledged, OverflowCounters.Between(beforeData, dataCounters), completedAfter, read);
    }

    private static Socket NonBlockingClient()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        // Bound first: .NET does not learn the local port of a non-blocking connect still in progress.
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return client;
    }

    private static int StartConnect(Socket client, IPEndPoint server)
    {
        try
        {
            client.Connect(server);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // A non-blocking connect returns at once; the handshake goes on in the kernel.
        }
        return client.LocalPort();
    }

    /// <summary>A socket call's result the way C prints it: "read() = 5" or "read() = -1 ECONNRESET (104)".</summary>
    private static (string Text, int Errno) Call(Func<int> call, string name)
    {
        try
        {
            return ($"{name} = {call()}", 0);
        }
        catch (SocketException e)
        {
            return ($"{name} = -1 {Errno.Describe(e.NativeErrorCode)}", e.NativeErrorCode);
        }
    }

    /// <summary>
    /// Waits until the lines in question and the counters have not moved for 50 ms — on loopback the kernel answers a
    /// segment in microseconds, and its next timer is hundreds of milliseconds away — and returns the counters then.
    /// </summary>
    private static NetCounters Settle(ProcNet net, Func<string> lines)
    {
        NetCounters counters = net.Counters();
        string Snapshot()
        {
            counters = net.Counters();
            var now = counters;
            return lines() + string.Join(",", OverflowNames.Select(n => now[n].ToString(CultureInfo.InvariantCulture)));
        }
        string last = Snapshot();
        var since = DateTime.UtcNow;
        Poll.Until(TimeSpan.FromSeconds(2), "the lines and counters to settle for 50 ms", () =>
        {
            string now = Snapshot();
            if (now != last)
            {
                last = now;
                since = DateTime.UtcNow;
            }
            return DateTime.UtcNow - since >= TimeSpan.FromMilliseconds(50);
        }, seen: () => last, every: TimeSpan.FromMilliseconds(5));
        return counters;
    }

    private static readonly string[] OverflowNames = ["TcpExt.ListenOverflows", "TcpExt.ListenDrops", "Tcp.OutRsts", "TcpExt.EmbryonicRsts", "Tcp.EstabResets"];

    /// <summary>Finding and naming the lines of one listener and its clients in /proc/net/tcp.</summary>
    private static class View
    {
        public static TcpSocketEntry? ClientLine(TcpTable table, int clientPort, int serverPort) =>
            table.FirstOrDefault(e => e.Local.Port == clientPort && e.Remote.Port == serverPort);

        public static TcpSocketEntry? ServerLine(TcpTable table, int serverPort, int clientPort) =>
            table.FirstOrDefault(e => e.Local.Port == serverPort && e.Remote.Port == clientPort);

        public static int AcceptQueue(TcpTable table, int serverPort) =>
            (int)(table.FirstOrDefault(e => e.State == KernelTcpState.Listen && e.Local.Port == serverPort)?.RxQueue ?? 0);

        /// <summary>"ESTABLISHED, tx_queue 5, retrnsmt 1", "SYN_SENT", or "gone" when the line has left the table.</summary>
        public static string Describe(TcpSocketEntry? e)
        {
            if (e is null)
            {
                return "gone";
            }
            string state = StateName(e.State);
            var extras = new List<string>();
            if (e.TxQueue > 0 && e.State != KernelTcpState.SynSent) // in SYN_SENT it counts the SYN itself
            {
                extras.Add($"tx_queue {e.TxQueue}");
            }
            if (e.Retransmits > 0)
            {
                extras.Add($"retrnsmt {e.Retransmits}");
            }
            return extras.Count == 0 ? state : $"{state}, {string.Join(", ", extras)}";
        }

        /// <summary>The server's side of one client: a request (SYN_RECV, with how often its SYN-ACK was resent), a connection, or nothing.</summary>
        public static string DescribeServerSide(TcpSocketEntry? e) => e switch
        {
            null => "nothing",
            { State: KernelTcpState.SynRecv } => $"SYN_RECV, SYN-ACK resent {e.Retransmits}×",
            _ => Describe(e),
        };

        public static string StateName(KernelTcpState state) => TcpStates.KernelName(state)["TCP_".Length..];
    }
}

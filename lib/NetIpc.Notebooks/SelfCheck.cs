using NetIpc.Sockets;

namespace NetIpc.Notebooks;

/// <summary>A self-check answer that does not match; the message says what was expected and why.</summary>
public sealed class SelfCheckFailedException(string message) : Exception(message)
{
    public override string ToString() => Message;
}

/// <summary>
/// Checkers for the exercises at the end of each chapter. A wrong answer stops the notebook with a
/// hint, so the headless run (and CI) fails if a committed answer stops being right on this machine.
/// </summary>
public static class SelfCheck
{
    public static string Equal<T>(string exercise, T answer, T expected, string hint)
    {
        if (!EqualityComparer<T>.Default.Equals(answer, expected))
            throw new SelfCheckFailedException($"✗ {exercise}: your answer is {answer}, the kernel says {expected}. Hint: {hint}");
        return $"✓ {exercise}: {answer} — correct.";
    }

    public static string Close(string exercise, double answer, double expected, double tolerance, string hint)
    {
        if (double.IsNaN(answer) || Math.Abs(answer - expected) > tolerance)
            throw new SelfCheckFailedException($"✗ {exercise}: your answer is {answer:G6}, expected {expected:G6} (± {tolerance:G3}). Hint: {hint}");
        return $"✓ {exercise}: {answer:G6} — correct.";
    }

    /// <summary>Chapter 00: the backlog listen() really gets is capped by somaxconn, as read by the library.</summary>
    public static string Backlog(int requested, int answer, EnvironmentReport report) =>
        report.SomaxConn is int somaxconn
            ? Equal($"effective backlog for listen(fd, {requested})", answer, Math.Min(requested, somaxconn),
                "the kernel uses min(backlog, somaxconn).")
            : "somaxconn is not readable on this machine (not Linux): nothing to check.";

    /// <summary>Chapter 01: the inode behind the fd accept() returned, as the TCP table lists it.</summary>
    public static string AcceptedInode(Experiments.SocketsAreFiles demo, int connectionFd, ulong answer)
    {
        var line = demo.Lines().FirstOrDefault(l => l.Local.Port == demo.Port && l.State == Proc.KernelTcpState.Established && l.Inode != 0
            && demo.LinkOf(connectionFd) == $"socket:[{l.Inode}]");
        return line is null
            ? throw new SelfCheckFailedException($"✗ the table has no ESTABLISHED line on port {demo.Port} for fd {connectionFd}: run the cells above in order.")
            : Equal($"inode of fd {connectionFd}", answer, line.Inode, "the link reads socket:[N]; N is the inode.");
    }

    /// <summary>Chapter 01: connections waiting to be accepted, counted from the table, against the LISTEN line's rx_queue.</summary>
    public static string AcceptQueueLength(Experiments.SocketsAreFiles demo, int answer)
    {
        var listen = demo.Lines().FirstOrDefault(l => l.State == Proc.KernelTcpState.Listen)
            ?? throw new SelfCheckFailedException("✗ the listener is gone: run the cells above in order.");
        return Equal("connections waiting in the accept queue", answer, (int)listen.RxQueue,
            "a connection nobody has accepted yet is an ESTABLISHED line on the server's port with inode 0.");
    }

    /// <summary>Chapter 02: htons of a value on this machine.</summary>
    public static string Htons(ushort value, int answer) =>
        Equal($"htons({value}) on this {(ByteOrder.HostIsLittleEndian ? "little" : "big")}-endian machine", answer, (int)ByteOrder.Htons(value),
            "write the value as two hex bytes; on a little-endian machine htons swaps them, on a big-endian one it does nothing.");

    /// <summary>Chapter 02: a /proc/net/tcp line decoded by hand, checked field by field against the library's parser.</summary>
    public static string DecodedTcpLine(string line, System.Net.IPEndPoint local, System.Net.IPEndPoint remote, int state)
    {
        var entry = Proc.TcpTable.ParseLine(line);
        return string.Join("\n",
            Equal("local_address", local, entry.Local, "the address is 8 hex digits printed as a host integer: parse them, take the bytes (BitConverter.GetBytes), build an IPAddress; the port after ':' is an ordinary hex number."),
            Equal("rem_address", remote, entry.Remote, "decode it exactly like local_address."),
            Equal("st", state, (int)entry.State, "st is hex: Convert.ToInt32(field, 16)."));
    }

    /// <summary>Chapter 03: the local port of the zoo's FIN_WAIT2 socket, found in the table.</summary>
    public static string FinWait2Port(Experiments.SocketZoo zoo, int answer) =>
        Equal("local port of the FIN_WAIT2 socket", answer, zoo.HalfClosedClientPort,
            "the side that closed first is in FIN_WAIT2; it is the client, so its local port is the ephemeral one and its remote port is the server's.");

    /// <summary>Chapter 03: the drops column against what actually arrived: sent minus received, counted by reading the socket dry.</summary>
    public static string UdpDrops(Experiments.SocketZoo zoo, long answer)
    {
        int received = zoo.DrainUdp();
        return Equal($"datagrams dropped ({zoo.DatagramsSent} sent, {received} could be read)", answer, (long)(zoo.DatagramsSent - received),
            "read the drops column of the receiver's line in /proc/net/udp.");
    }

    /// <summary>Chapter 04: headroom and len after alloc(200), reserve(64), put(100), push(20), pull(8), worked by the real SkBuff.</summary>
    public static string SkBuffAfterFourCalls(int headroom, int len)
    {
        var skb = FourCalls();
        return string.Join("\n",
            Equal("headroom", headroom, skb.Headroom, "reserve gives headroom, push spends it, pull gives it back."),
            Equal("len", len, skb.Len, "put and push add to len, pull takes away; reserve does not change it."));
    }

    /// <summary>Chapter 04: what skb_pull returns when asked for more than the packet holds.</summary>
    public static string PullPastLen(bool answer)
    {
        var skb = FourCalls();
        return Equal($"Pull(500) on that {skb.Len}-byte packet succeeds", answer, skb.Pull(500),
            "the kernel's skb_pull returns NULL and changes nothing when len is too short.");
    }

    private static Packets.SkBuff FourCalls()
    {
        var skb = Packets.SkBuff.Alloc(200);
        skb.Reserve(64);
        skb.Put(100);
        skb.Push(20);
        skb.Pull(8);
        return skb;
    }

    /// <summary>Chapter 07: a prediction of the accept queue's peak and of the clients left in SYN_SENT, checked by running it.</summary>
    public static string AcceptQueuePrediction(int backlog, int clients, int peak, int stuck)
    {
        if (!Proc.ProcNet.Self.Exists)
        {
            return "this machine has no /proc/net: nothing to run the check against.";
        }
        var run = NetIpc.Experiments.Experiments.AcceptQueue(backlog, clients);
        return string.Join("\n",
            Equal($"peak accept queue for backlog {backlog}", peak, run.PeakQueued, "the kernel lets the queue grow while its length is not greater than the backlog."),
            Equal($"clients left in SYN_SENT out of {clients}", stuck, run.StuckInSynSent, "every client past the peak has its SYN dropped and keeps retrying."));
    }

    /// <summary>Chapter 05: what read() returns once the peer has closed, found by doing it.</summary>
    public static string ReadAfterPeerClosed(int answer) =>
        Equal("read() after the peer closed", answer, KernelAnswers.ReadAfterPeerClosed(), "end of file: the peer's FIN arrived and no bytes are left.");

    /// <summary>Chapter 05: the errno of connect() to a port nobody listens on, found by doing it.</summary>
    public static string ConnectRefusedErrno(int answer)
    {
        int errno = KernelAnswers.ConnectRefusedErrno();
        return Equal($"errno of connect() to a closed port ({Native.Errno.Describe(errno)})", answer, errno, "the peer's kernel answers the SYN with RST: connection refused.");
    }

    /// <summary>Chapter 06: the errno of bind() to a port a listener holds, found by doing it.</summary>
    public static string AddressInUseErrno(int answer)
    {
        int errno = KernelAnswers.AddressInUseErrno();
        return Equal($"errno of bind() to a port in use ({Native.Errno.Describe(errno)})", answer, errno, "the seed's own error line says it: errno=98.");
    }

    /// <summary>Chapter 08: what getsockopt(SO_RCVBUF) reports after setsockopt(SO_RCVBUF, requested), found by doing it.</summary>
    public static string ReceiveBufferReported(int requested, int answer) =>
        Equal($"getsockopt(SO_RCVBUF) after asking for {requested}", answer, KernelAnswers.ReceiveBufferReported(requested),
            "the kernel doubles the value to leave room for its own bookkeeping (socket(7)), within net.core.rmem_max.");

    /// <summary>Chapter 08: the errno of read() on a non-blocking socket with nothing to read, found by doing it.</summary>
    public static string NonBlockingReadErrno(int answer)
    {
        int errno = KernelAnswers.NonBlockingReadErrno();
        return Equal($"errno of a non-blocking read() with nothing to read ({Native.Errno.Describe(errno)})", answer, errno,
            "instead of waiting, the call fails at once with 'try again'.");
    }

    /// <summary>Chapter 09: which end of a closed connection is left in TIME_WAIT, from the recorded or live run.</summary>
    public static string TimeWaitSide(string answer, NetIpc.Experiments.CloseResult run)
    {
        string expected = run.Steps[^1].ClientState.StartsWith("TIME-WAIT", StringComparison.Ordinal) ? "client"
            : run.Steps[^1].ServerState.StartsWith("TIME-WAIT", StringComparison.Ordinal) ? "server" : "neither";
        return Equal("the end left in TIME_WAIT", answer, expected, "the side that sends the first FIN waits; here that was the client's shutdown().");
    }

    /// <summary>Chapter 10: how many recvfrom() calls return data after three sendto() calls, found by doing it.</summary>
    public static string DatagramsForThreeSends(int answer)
    {
        var run = NetIpc.Experiments.Experiments.Boundaries();
        int reads = run.Reads.Count(r => r.Protocol == "UDP" && r.Call <= 3 && r.Bytes > 0);
        return Equal("recvfrom() calls that return one of the three messages", answer, reads, "UDP keeps each sendto() as one datagram; each recvfrom() returns exactly one.");
    }

    /// <summary>Chapter 10: the drops column for a burst, checked against sent − received.</summary>
    public static string DropsAreTheMissing(NetIpc.Experiments.UdpBurst burst, long answer) =>
        Equal($"datagrams missing from a burst of {burst.Sent} ({burst.Received} received)", answer, burst.DropsColumn,
            "sent − received; the drops column of /proc/net/udp counts exactly those.");

    /// <summary>Chapter 11: whether a C server's socket file survives its close(), found by doing it.</summary>
    public static string SocketFileSurvivesClose(bool answer)
    {
        var run = NetIpc.Experiments.UnixSockets.StaleFile();
        return Equal("the socket file is still there after close() in C", answer, run.FileExistsAfterCClose,
            "close() releases the socket, not the name on disk; C servers unlink() the path before bind().");
    }

    /// <summary>Chapter 11: how many of a burst of UNIX datagrams arrive, found by doing it.</summary>
    public static string UnixDatagramsArriving(int burst, int answer)
    {
        var run = NetIpc.Experiments.Experiments.UnixDatagramReliability(burst);
        return Equal($"UNIX datagrams received out of {burst}", answer, run.UnixReceived,
            "a UNIX datagram socket never drops: a full receiver makes the sender wait (or EAGAIN) instead.");
    }

    /// <summary>Chapter 12: the link address the client's neighbour table holds for the server, against the server's interface.</summary>
    public static string NeighbourIsTheServer(NetIpc.Experiments.TwoHostsResult run, string answer) =>
        Equal("the MAC the client host uses to reach 10.12.0.2", answer, run.Server.LinkAddress,
            "look up 10.12.0.2 in the client host's neighbour table: it should be the server host's veth address.");

    /// <summary>Chapter 13: the transport with the lowest median round trip for the smallest messages, in the learner's own run.</summary>
    public static string FastestRoundTrip(NetIpc.Experiments.ThroughputResult run, string answer)
    {
        int smallest = run.Points.Min(p => p.MessageSize);
        string expected = run.Points.Where(p => p.MessageSize == smallest).MinBy(p => p.MedianRoundTripMicroseconds)!.Transport;
        return Equal($"lowest median round trip at {smallest} bytes", answer, expected, "filter the points to the smallest size, then take the one with the smallest MedianRoundTripMicroseconds.");
    }
}

using System.Net;
using NetIpc.Hosts;
using NetIpc.Isolation;
using NetIpc.Packets;
using NetIpc.Performance;
using NetIpc.Proc;
using NetIpc.SocketTables;
using NetIpc.Sockets;
using NetIpc.Unix;

namespace NetIpc.Notebooks.Exercises;

/// <summary>
/// The checkers of the chapters' exercises: predictions here, code the learner writes in SelfCheck.Code.cs.
/// Each takes the learner's answers as nullable values (null = the placeholder, "not answered yet", and nothing
/// runs), finds the truth itself — by doing the thing on the running kernel, or from a source the learner did
/// not use — and returns one <see cref="ExerciseResult"/>. A wrong answer is a result with a hint, never an
/// exception, so Run All goes on through the chapter.
/// </summary>
public static partial class SelfCheck
{
    /// <summary>00.1: the median of the round trips, against the measurement's own median.</summary>
    public static ExerciseResult MedianRoundTrip(LoopbackRoundTripResult trips, double? answer) =>
        Exercise.Judge("00.1", "the median round trip", [
            Part.Near("myMedian (µs)", answer, trips.MedianMicroseconds, 0.001,
                "sort the Microseconds of trips.Trips and take the element at index Count / 2."),
        ]);

    /// <summary>00.2: the backlog listen(fd, 4096) really gets where somaxconn is 8, measured in a namespace with that somaxconn.</summary>
    public static ExerciseResult BacklogUnderSomaxconn(int? answer)
    {
        const string id = "00.2", title = "listen(fd, 4096) where somaxconn is 8";
        if (answer is null) return Exercise.NotAnswered(id, title, "set myBacklog to the backlog the kernel really uses, then run the cell again.");
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net: the checker cannot fill an accept queue here.");
        try
        {
            // The truth is a full accept queue: it holds backlog + 1 connections (chapter 07 shows why the + 1).
            var run = Experiments.AcceptQueue(backlog: 4096, clients: 14, somaxconn: 8);
            int used = run.PeakQueued - 1;
            return Exercise.Judge(id, title, [
                Part.Of("myBacklog", answer, used,
                    $"the checker called listen(fd, 4096) in a namespace where somaxconn is 8 and connected 14 clients: the accept queue stopped at {run.PeakQueued}, which is backlog + 1. The kernel takes min(backlog, somaxconn)."),
            ]);
        }
        catch (CapabilityMissingException e)
        {
            return Exercise.NotChecked(id, title, $"the checker needs a network namespace with its own somaxconn and cannot have one here: {e.Brief}");
        }
    }

    /// <summary>01.1: the inode behind the fd accept() returned, against the ESTABLISHED line of the TCP table.</summary>
    public static ExerciseResult AcceptedInode(SocketsAreFiles demo, int connectionFd, ulong? answer)
    {
        const string id = "01.1", title = "the inode of the accepted socket";
        if (answer is null) return Exercise.NotAnswered(id, title, "set myInode to the number in the link of connectionFd.");
        var line = demo.Lines().FirstOrDefault(l => l.Local.Port == demo.Port && l.State == KernelTcpState.Established && l.Inode != 0
            && demo.LinkOf(connectionFd) == $"socket:[{l.Inode}]");
        return line is null
            ? Exercise.NotChecked(id, title, $"the table has no ESTABLISHED line on port {demo.Port} for fd {connectionFd}: run the cells above in order.")
            : Exercise.Judge(id, title, [Part.Of("myInode", answer, line.Inode, "the link reads socket:[N]; N is the inode, and the table's inode column shows the same N.")]);
    }

    /// <summary>
    /// 01.2: the learner's count of connections waiting to be accepted, worked out from the table's lines, against
    /// the LISTEN line's rx_queue in the same reading. The checker queues 2–5 connections on a listener of its own.
    /// </summary>
    public static ExerciseResult WaitingConnections(Func<IReadOnlyList<TcpSocketEntry>, int, int?> countWaiting)
    {
        const string id = "01.2", title = "connections waiting in the accept queue";
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net/tcp to count from.");
        int queued = Random.Shared.Next(2, 6);
        using var listener = NewTcpSocket();
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        int port = listener.LocalPort();
        var clients = new List<System.Net.Sockets.Socket>();
        try
        {
            // One accepted connection too, so that "every line on the port" is not the answer.
            var accepted = NewTcpSocket();
            clients.Add(accepted);
            accepted.Connect(listener.LocalEndPoint!);
            clients.Add(listener.Accept());
            for (int i = 0; i < queued; i++)
            {
                var client = NewTcpSocket();
                clients.Add(client);
                client.Connect(listener.LocalEndPoint!);
            }
            var lines = ProcNet.Self.Tcp().ToList();
            int? answer;
            try
            {
                answer = countWaiting(lines, port);
            }
            catch (NotImplementedException)
            {
                answer = null;
            }
            catch (Exception e)
            {
                return Exercise.Wrong(id, title, $"your function threw {LearnerCode<int>.Describe(e)}.");
            }
            if (answer is null) return Exercise.NotAnswered(id, title, "make CountWaiting return the number of connections nobody has accepted yet.");
            var listen = lines.Single(l => l.State == KernelTcpState.Listen && l.Local.Port == port);
            return Exercise.Judge(id, title, [
                Part.Of($"CountWaiting(lines, {port})", answer, (int)listen.RxQueue,
                    "a connection nobody has accepted yet is an ESTABLISHED line on the server's port with inode 0: no process holds a descriptor for it."),
            ]);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    // IPv4 only: a dual-mode socket bound to 127.0.0.1 would be listed in tcp6, as ::ffff:127.0.0.1.
    private static System.Net.Sockets.Socket NewTcpSocket() =>
        new(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);

    /// <summary>02.1: htons of a value on this machine, against the value's bytes in network order read back in host order.</summary>
    public static ExerciseResult Htons(ushort value, int? answer)
    {
        // Big-endian bytes read as a host integer: not the library's ByteOrder, which is what is being taught.
        int expected = BitConverter.ToUInt16([(byte)(value >> 8), (byte)value]);
        return Exercise.Judge("02.1", $"htons({value}) on this {(BitConverter.IsLittleEndian ? "little" : "big")}-endian machine", [
            Part.Of($"myHtons{value}", answer, expected,
                "write the value as two hex bytes; on a little-endian machine htons swaps them, on a big-endian one it does nothing."),
        ]);
    }

    /// <summary>02.2: the learner's decoder for a /proc/net/tcp line, run on the lab's lines and compared with the sockets' own endpoints.</summary>
    public static ExerciseResult DecodedTcpLine(ByteOrderLab lab, Func<string, (IPEndPoint Local, IPEndPoint Remote, int State)?> decode)
    {
        const string id = "02.2", title = "a /proc/net/tcp line decoded by hand";
        (IPEndPoint Local, IPEndPoint Remote, int State)? mine;
        try
        {
            mine = decode(lab.ClientLine);
        }
        catch (NotImplementedException)
        {
            mine = null;
        }
        catch (Exception e)
        {
            return Exercise.Wrong(id, title, $"your Decode threw {LearnerCode<int>.Describe(e)} on the line {lab.ClientLine.Trim()}.");
        }
        if (mine is null) return Exercise.NotAnswered(id, title, "make Decode return the local and remote endpoints and the state of the line.");
        var truth = lab.ClientEndpoints;
        var (local, remote, state) = mine.Value;
        return Exercise.Judge(id, title, [
            Part.Is("local", local, truth.Local, "8 hex digits are the address as a host integer: parse them, take its bytes (BitConverter.GetBytes), build an IPAddress; the port after ':' is an ordinary hex number."),
            Part.Is("remote", remote, truth.Remote, "decode it exactly like the local address."),
            Part.Of("state", (int?)state, (int)KernelTcpState.Established, "st is hex: Convert.ToInt32(field, 16); 01 is ESTABLISHED."),
        ]);
    }

    /// <summary>03.1: the local port of the zoo's FIN_WAIT2 socket, against the port its socket is bound to.</summary>
    public static ExerciseResult FinWait2Port(SocketZoo zoo, int? answer) =>
        Exercise.Judge("03.1", "the local port of the FIN_WAIT2 socket", [
            Part.Of("myFinWait2Port", answer, zoo.HalfClosedClientPort,
                "the side that closed first is in FIN_WAIT2; it is the client, so its local port is the ephemeral one and its remote port is the server's."),
        ]);

    /// <summary>03.2: the drops column against what really arrived: sent minus received, counted by reading the socket dry.</summary>
    public static ExerciseResult UdpDrops(SocketZoo zoo, long? answer)
    {
        const string id = "03.2", title = "datagrams the UDP receiver dropped";
        if (answer is null) return Exercise.NotAnswered(id, title, "set myDrops to the drops column of the receiver's line in /proc/net/udp.");
        if (zoo.IsRecorded) return Exercise.NotChecked(id, title, "the zoo is a recording here: nothing can be read from its receiver, so there is no count to compare with.");
        int received = zoo.DrainUdp();
        return Exercise.Judge(id, title, [
            Part.Of($"myDrops ({zoo.DatagramsSent} sent, {received} could be read)", answer, (long)(zoo.DatagramsSent - received),
                "read the last column (drops) of the receiver's line in /proc/net/udp."),
        ]);
    }

    /// <summary>04.1: headroom and len after alloc(200), reserve(64), put(100), push(20), pull(8), and Pull(500), worked by the real SkBuff.</summary>
    public static ExerciseResult SkBuffAfterFiveCalls(int? headroom, int? len, bool? pullSucceeds)
    {
        var skb = Packets.SkBuff.Alloc(200);
        skb.Reserve(64);
        skb.Put(100);
        skb.Push(20);
        skb.Pull(8);
        int h = skb.Headroom, l = skb.Len;
        bool pulled = skb.Pull(500);
        return Exercise.Judge("04.1", "an sk_buff after five calls", [
            Part.Of("myHeadroom", headroom, h, "reserve gives headroom, push spends it, pull gives it back."),
            Part.Of("myLen", len, l, "put and push add to len, pull takes away; reserve does not change it."),
            Part.Of("myPullSucceeds", pullSucceeds, pulled, "the kernel's skb_pull returns NULL and changes nothing when len is too short."),
        ]);
    }

    /// <summary>05.2: what read() returns once the peer closed, and the errno of a refused connect(), found by doing both.</summary>
    public static ExerciseResult EndOfFileAndRefused(int? readAtEof, int? refusedErrno)
    {
        if (readAtEof is null || refusedErrno is null)
            return Exercise.NotAnswered("05.2", "end of file and a refused connect()", "fill in myReadAtEof and myRefusedErrno.");
        int errno = KernelAnswers.ConnectRefusedErrno();
        return Exercise.Judge("05.2", "end of file and a refused connect()", [
            Part.Of("myReadAtEof", readAtEof, KernelAnswers.ReadAfterPeerClosed(), "end of file: the peer's FIN arrived and no bytes are left."),
            Part.Of($"myRefusedErrno ({Native.Errno.Describe(errno)})", refusedErrno, errno, "the peer's kernel answers the SYN with RST: connection refused."),
        ]);
    }

    /// <summary>07.1: a prediction of the accept queue's peak and of the clients left in SYN_SENT, checked by running it.</summary>
    public static ExerciseResult AcceptQueuePrediction(int backlog, int clients, int? peak, int? stuck)
    {
        const string id = "07.1", title = $"the accept queue of listen(fd, backlog) with more clients than it holds";
        if (peak is null || stuck is null) return Exercise.NotAnswered(id, title, "fill in myPeak and myStuck.");
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net: nothing to run the check against.");
        var run = Experiments.AcceptQueue(backlog, clients);
        return Exercise.Judge(id, title, [
            Part.Of($"myPeak (backlog {backlog})", peak, run.PeakQueued, "the kernel lets the queue grow while its length is not greater than the backlog."),
            Part.Of($"myStuck (of {clients} clients)", stuck, run.StuckInSynSent, "every client past the peak has its SYN dropped and keeps retrying."),
        ]);
    }

    /// <summary>08.1: what getsockopt(SO_RCVBUF) reports after setsockopt(SO_RCVBUF, requested), found by doing it.</summary>
    public static ExerciseResult ReceiveBufferReported(int requested, int? answer)
    {
        if (answer is null) return Exercise.NotAnswered("08.1", $"SO_RCVBUF after asking for {requested}", "set myReported.");
        return Exercise.Judge("08.1", $"SO_RCVBUF after asking for {requested}", [
            Part.Of("myReported", answer, KernelAnswers.ReceiveBufferReported(requested),
                "the kernel doubles the value to leave room for its own bookkeeping (socket(7)), within net.core.rmem_max."),
        ]);
    }

    /// <summary>09.1: which end is left in TIME_WAIT when the server closes first, found by doing it.</summary>
    public static ExerciseResult TimeWaitWhenServerClosesFirst(string? answer)
    {
        const string id = "09.1", title = "TIME_WAIT when the server closes first";
        if (answer is null) return Exercise.NotAnswered(id, title, "set mySide to \"client\" or \"server\".");
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net/tcp to look in.");
        return Exercise.Judge(id, title, [
            Part.Is("mySide", answer, KernelAnswers.TimeWaitSideWhenServerClosesFirst(),
                "TIME_WAIT belongs to the side that sent the first FIN — whoever closes first, client or server."),
        ]);
    }

    /// <summary>10.1: what three recvfrom() calls with a 150-byte buffer return for datagrams of 100, 200 and 300 bytes, found by doing it.</summary>
    public static ExerciseResult DatagramsIntoSmallBuffer(int[]? answer)
    {
        const string id = "10.1", title = "three datagrams read into a 150-byte buffer";
        if (answer is null) return Exercise.NotAnswered(id, title, "set myReturns to the three values recvfrom() returns, e.g. new[] { 0, 0, 0 }.");
        int[] sizes = [100, 200, 300];
        return Exercise.Judge(id, title, [
            Part.Is("myReturns", answer, KernelAnswers.RecvfromReturns(sizes, buffer: 150),
                "each recvfrom() returns one datagram, never more; what does not fit in the buffer is discarded (MSG_TRUNC tells you it happened)."),
        ]);
    }

    /// <summary>11.1: whether a C server's socket file survives its close(), and how many of a burst of UNIX datagrams arrive, found by doing both.</summary>
    public static ExerciseResult UnixPredictions(bool? fileSurvives, int burst, int? arrived)
    {
        const string id = "11.1", title = "a socket file after close(), and a burst of UNIX datagrams";
        if (fileSurvives is null || arrived is null) return Exercise.NotAnswered(id, title, "fill in myFileSurvives and myArrived.");
        var stale = UnixSockets.StaleFile();
        var run = Experiments.UnixDatagramReliability(burst);
        return Exercise.Judge(id, title, [
            Part.Of("myFileSurvives", fileSurvives, stale.FileExistsAfterCClose,
                "close() releases the socket, not the name on disk; C servers unlink() the path before bind()."),
            Part.Of($"myArrived (of {burst})", arrived, run.UnixReceived,
                "a UNIX datagram socket never drops: a full receiver makes the sender wait (or EAGAIN) instead."),
        ]);
    }

    /// <summary>12.1: the link address the client's neighbour table holds for the server, against the server's interface.</summary>
    public static ExerciseResult NeighbourIsTheServer(TwoHostsResult run, string? answer) =>
        Exercise.Judge("12.1", "the server's MAC, as the client host knows it", [
            Part.Is("myMac", answer, run.Server.LinkAddress,
                "look up 10.12.0.2 in the client host's neighbour table (run.Client.Neighbours); it is the server host's veth address."),
        ]);

    /// <summary>13.1: the largest UDP payload one sendto() over IPv4 accepts, found by trying sizes.</summary>
    public static ExerciseResult LargestUdpPayload(int? answer)
    {
        if (answer is null) return Exercise.NotAnswered("13.1", "the largest UDP datagram", "set myLargest.");
        return Exercise.Judge("13.1", "the largest UDP datagram", [
            Part.Of("myLargest (payload bytes)", answer, KernelAnswers.LargestUdpPayload(),
                "an IPv4 packet's total length is a 16-bit field (at most 65,535 bytes), and the IP and UDP headers come out of it."),
        ]);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Notebooks.Exercises;

/// <summary>
/// The exercises where the learner writes socket code with <see cref="Sys"/>. The checker runs that code on a
/// thread of its own (<see cref="LearnerCode{T}"/>, bounded), plays the other side over loopback, and
/// watches the kernel's tables while it runs: the truth is what /proc shows and what the checker's own
/// socket receives, never what the learner's code reports. Each part it could see is listed in the verdict.
/// </summary>
public static partial class SelfCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    /// <summary>05.1: the seed's server — socket, bind, listen, accept, read, write, close — serving one client the checker sends.</summary>
    public static ExerciseResult SeedServer(Action<int> server)
    {
        const string id = "05.1", title = "the seed's server loop, written with Sys";
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net: the checker cannot see your sockets.");
        var seen = new List<string>();
        if (StartServer(id, title, server, backlog: 1, seen, out var started) is { } notListening) return notListening;
        using var run = started.Run;
        int port = started.Port;

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)Patience.TotalMilliseconds };
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        int clientPort = client.LocalPort();
        var accepted = WaitFor(run, () => ProcNet.Self.Tcp().FirstOrDefault(e => e.State == KernelTcpState.Established && e.Local.Port == port && e.Remote.Port == clientPort && OwnedHere(e.Inode)));
        if (accepted is null) return Finish(run, id, title, seen, "the connection was never accepted: the server's ESTABLISHED line kept inode 0. Hint: int connection = accept(fd);");
        seen.Add($"accept() gave ESTABLISHED {accepted.Local} ⇄ {accepted.Remote} (inode {accepted.Inode}, not the listener's)");

        byte[] message = Encoding.ASCII.GetBytes($"hello from the checker {Random.Shared.Next(1000, 10000)}");
        client.Send(message);
        var reply = ReadUntilEndOfFile(client, out bool endOfFile);
        if (!reply.AsSpan().SequenceEqual(message))
            return Finish(run, id, title, seen, $"the checker sent \"{Encoding.ASCII.GetString(message)}\" and got back \"{Encoding.ASCII.GetString(reply)}\". Hint: read() into a buffer, then write() the bytes read.");
        seen.Add("the reply was the message");
        if (!endOfFile) return Finish(run, id, title, seen, "the connection stayed open after the reply. Hint: close() the connection's descriptor.");
        seen.Add("the connection was closed (read() returned 0)");

        if (ServerEnd(run, port) is { } notEnded) return Finish(run, id, title, seen, notEnded);
        seen.Add("Server returned and the listener was closed");
        return Exercise.Correct(id, title, string.Join("; ", seen) + ".");
    }

    /// <summary>
    /// 06.1: a server restarting while its old connection waits in TIME_WAIT on the port. The checker leaves that
    /// TIME_WAIT (from a server that set SO_REUSEADDR, as the seed's does); the learner's function returns a
    /// listening descriptor on the same port.
    /// </summary>
    public static ExerciseResult RestartOverTimeWait(Func<int, int> restart)
    {
        const string id = "06.1", title = "restart a server over its own TIME_WAIT";
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net: the checker cannot see TIME_WAIT.");
        int port = LeaveServerTimeWait();
        var seen = new List<string> { $"the old server's connection waits in TIME_WAIT on port {port}" };
        using var run = LearnerCode<int>.Start(() => restart(port));
        var end = run.Wait(Patience);
        try
        {
            if (end.End == LearnerCodeEnd.NotWritten) return Exercise.NotAnswered(id, title, "write Restart in place of the line that throws NotImplementedException.");
            if (end.End != LearnerCodeEnd.Returned) return Finish(run, id, title, seen, Ended(end, "Restart"));
            int fd = end.Value;
            if (!Sys.OpenDescriptors().Contains(fd)) return Exercise.Wrong(id, title, $"Restart returned {fd}, which is not a socket open through Sys. Hint: return the descriptor you called listen() on.");
            ulong inode = Descriptor.InodeOf(Sys.Get(fd));
            var line = ProcNet.Self.Tcp().FirstOrDefault(e => e.Inode == inode);
            var tables = ProcNet.Self.Tcp();
            if (line is null || line.State != KernelTcpState.Listen)
                return Exercise.Wrong(id, title, $"descriptor {fd} is not listening ({(line is null ? "no line in /proc/net/tcp" : line.State.ToString())}). Hint: listen(fd, 1) after bind.");
            if (line.Local.Port != port)
                return Exercise.Wrong(id, title, $"descriptor {fd} listens on port {line.Local.Port}, not {port}: bind() failed (EADDRINUSE), and listen() on an unbound socket picks a port of its own. Hint: setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1) before bind().");
            seen.Add($"descriptor {fd} listens on {line.Local}");
            if (!tables.Any(e => e.State == KernelTcpState.TimeWait && e.Local.Port == port))
                return Exercise.NotChecked(id, title, $"the TIME_WAIT on port {port} was gone before your socket bound, so the restart proves nothing; run the cell again.");
            seen.Add("beside the TIME_WAIT, which is still there");
            return Exercise.Correct(id, title, string.Join("; ", seen) + ".");
        }
        finally
        {
            run.CloseWhatItOpened();
        }
    }

    /// <summary>
    /// 08.2: a non-blocking connect() to a listener whose accept queue is full: the call returns at once and
    /// the checker finds the learner's socket in SYN_SENT, its SYN dropped and being retried.
    /// </summary>
    public static ExerciseResult NonBlockingConnect(Func<int, int> connect)
    {
        const string id = "08.2", title = "a non-blocking connect() caught in SYN_SENT";
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net: the checker cannot see SYN_SENT.");
        // listen(fd, 0) holds one finished connection; with it queued, the kernel drops every further SYN.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        int port = listener.LocalPort();
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        first.Connect(listener.LocalEndPoint!);
        var seen = new List<string> { $"a listener on port {port} with a full accept queue" };

        var timer = Stopwatch.StartNew();
        using var run = LearnerCode<int>.Start(() => connect(port));
        var end = run.Wait(TimeSpan.FromSeconds(1));
        try
        {
            if (end.End == LearnerCodeEnd.TimedOut)
                return Exercise.Wrong(id, title, "Connect had not returned after 1 s: connect() waited for the handshake. Hint: socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK).");
            if (end.End == LearnerCodeEnd.NotWritten) return Exercise.NotAnswered(id, title, "write Connect in place of the line that throws NotImplementedException.");
            if (end.End != LearnerCodeEnd.Returned) return Exercise.Wrong(id, title, Ended(end, "Connect"));
            seen.Add($"Connect returned after {timer.Elapsed.TotalMilliseconds:0.0} ms");
            int fd = end.Value;
            if (!Sys.OpenDescriptors().Contains(fd)) return Exercise.Wrong(id, title, $"Connect returned {fd}, which is not a socket open through Sys. Hint: return the descriptor you called connect() on.");
            ulong inode = Descriptor.InodeOf(Sys.Get(fd));
            var line = ProcNet.Self.Tcp().FirstOrDefault(e => e.Inode == inode);
            if (line is null || line.Remote.Port != port)
                return Exercise.Wrong(id, title, $"descriptor {fd} is not connecting to port {port} ({(line is null ? "no line in /proc/net/tcp" : $"{line.State} to {line.Remote}")}). Hint: connect(fd, \"127.0.0.1\", port).");
            if (line.State != KernelTcpState.SynSent)
                return Exercise.Wrong(id, title, $"descriptor {fd} is {line.State}, not SYN_SENT.");
            seen.Add($"descriptor {fd} is SYN_SENT to {line.Remote} (inode {inode}), its SYN dropped by the full queue");
            return Exercise.Correct(id, title, string.Join("; ", seen) + ".");
        }
        finally
        {
            run.CloseWhatItOpened();
        }
    }

    /// <summary>10.2: a UDP echo server — one socket, bind, recvfrom and sendto, no listen() and no accept() — answering three datagrams.</summary>
    public static ExerciseResult UdpServer(Action<int> server)
    {
        const string id = "10.2", title = "a UDP server without listen() or accept()";
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net: the checker cannot see your socket.");
        int port = LoopbackPorts.Unused(SocketType.Dgram);
        using var run = LearnerCode<int>.Start(() => { server(port); return 0; });
        var seen = new List<string>();
        var bound = WaitFor(run, () => ProcNet.Self.Udp().FirstOrDefault(e => e.Local.Port == port && OwnedHere(e.Inode)));
        if (Early(run, id, title, "Server") is { } early) return early;
        if (bound is null) return Exercise.Wrong(id, title, $"no UDP socket of this process appeared on port {port} within {Patience.TotalSeconds:0} s. Hint: socket(AF_INET, SOCK_DGRAM), then bind(fd, \"127.0.0.1\", port).");
        seen.Add($"a UDP socket bound to {bound.Local}");

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = (int)Patience.TotalMilliseconds };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[2048];
        foreach (string word in new[] { "one", "two", "three" })
        {
            client.SendTo(Encoding.ASCII.GetBytes(word), new IPEndPoint(IPAddress.Loopback, port));
            int n;
            try
            {
                n = client.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                return Finish(run, id, title, seen, $"no reply to \"{word}\" within {Patience.TotalSeconds:0} s. Hint: recvfrom() tells you who sent the datagram; sendto() the bytes back to that address and port.");
            }
            string reply = Encoding.ASCII.GetString(buffer, 0, n);
            if (reply != word) return Finish(run, id, title, seen, $"the checker sent \"{word}\" and got back \"{reply}\".");
        }
        seen.Add("three datagrams echoed");
        int sockets = run.OpenedDescriptors().Count;
        var end = run.Wait(Patience);
        if (end.End != LearnerCodeEnd.Returned) return Finish(run, id, title, seen, Ended(end, "Server"));
        if (sockets > 1) return Exercise.Wrong(id, title, $"{string.Join("; ", seen)}; but your server had {sockets} sockets open: a UDP server needs one.");
        seen.Add("one descriptor, no listen(), no accept()");
        if (ProcNet.Self.Udp().Any(e => e.Local.Port == port && OwnedHere(e.Inode)))
            return Exercise.Wrong(id, title, $"{string.Join("; ", seen)}; but the socket is still open after Server returned. Hint: close(fd).");
        seen.Add("closed");
        return Exercise.Correct(id, title, string.Join("; ", seen) + ".");
    }

    /// <summary>
    /// 11.2: a UNIX stream server at a path where an earlier C server left its socket file: it must remove the
    /// stale name before bind() (as C servers do), then serve one connection.
    /// </summary>
    public static ExerciseResult UnixServer(Action<string> server)
    {
        const string id = "11.2", title = "a UNIX-socket server at a path a crashed server left behind";
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net/unix: the checker cannot see your socket.");
        using var files = new SocketFiles();
        string path = files["exercise.sock"];
        NetIpc.Unix.UnixSockets.LeaveStaleFile(path);
        var seen = new List<string> { "a stale socket file at the path, as a C server that ended without unlink() leaves it" };
        using var run = LearnerCode<int>.Start(() => { server(path); return 0; });
        var listening = WaitFor(run, () => ProcNet.Self.Unix().FirstOrDefault(e => e.Path == path && e.IsListening && OwnedHere(e.Inode)));
        if (Early(run, id, title, "Server") is { } early)
            return listening is null && early.Verdict == Verdict.Wrong
                ? early with { Detail = $"{early.Detail} It never listened at the path: bind() fails with EADDRINUSE while the old file is there. Hint: unlink(path) before bind(fd, path)." }
                : early;
        if (listening is null)
            return Finish(run, id, title, seen, $"no listening UNIX socket of this process appeared at the path within {Patience.TotalSeconds:0} s: bind() fails with EADDRINUSE while the old file is there. Hint: unlink(path) before bind(fd, path); then listen(fd, 1).");
        seen.Add($"your socket listens at the path (inode {listening.Inode})");

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = (int)Patience.TotalMilliseconds };
        client.Connect(new UnixDomainSocketEndPoint(path));
        byte[] message = Encoding.ASCII.GetBytes($"ping {Random.Shared.Next(1000, 10000)}");
        client.Send(message);
        var reply = ReadUntilEndOfFile(client, out bool endOfFile);
        if (!reply.AsSpan().SequenceEqual(message))
            return Finish(run, id, title, seen, $"the checker sent \"{Encoding.ASCII.GetString(message)}\" and got back \"{Encoding.ASCII.GetString(reply)}\". Hint: accept(), read(), write() the bytes back.");
        seen.Add("the reply was the message");
        if (!endOfFile) return Finish(run, id, title, seen, "the connection stayed open after the reply. Hint: close() it.");
        var end = run.Wait(Patience);
        if (end.End != LearnerCodeEnd.Returned) return Finish(run, id, title, seen, Ended(end, "Server"));
        if (ProcNet.Self.Unix().Any(e => e.Path == path && OwnedHere(e.Inode)))
            return Finish(run, id, title, seen, "the listening socket is still open after Server returned. Hint: close() the listening descriptor too.");
        seen.Add("both closed");
        return Exercise.Correct(id, title, string.Join("; ", seen) + ".");
    }

    private static bool OwnedHere(ulong inode) =>
        inode != 0 && ProcessFds.OfSelf().Any(fd => fd.SocketInode == inode);

    /// <summary>Polls until <paramref name="probe"/> finds something, the learner's code ends, or the patience runs out.</summary>
    private static T? WaitFor<T>(LearnerCode<int> run, Func<T?> probe) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (probe() is { } found) return found;
            if (run.HasEnded) return probe();
            Thread.Sleep(5);
        }
        return null;
    }

    private sealed record StartedServer(LearnerCode<int> Run, int Port);

    /// <summary>
    /// The first steps of a server exercise: the learner's Server started on a free port, then a LISTEN line of
    /// this process awaited on that port. A verdict if the code ended early or never listened (what it opened
    /// is closed then); otherwise the run, which the caller disposes.
    /// </summary>
    private static ExerciseResult? StartServer(string id, string title, Action<int> server, int backlog, List<string> seen, out StartedServer started)
    {
        int port = LoopbackPorts.Unused(SocketType.Stream);
        var run = LearnerCode<int>.Start(() => { server(port); return 0; });
        started = new StartedServer(run, port);
        var listen = WaitFor(run, () => ProcNet.Self.Tcp().FirstOrDefault(e => e.State == KernelTcpState.Listen && e.Local.Port == port && OwnedHere(e.Inode)));
        var verdict = Early(run, id, title, "Server")
            ?? (listen is null
                ? Finish(run, id, title, seen, $"no LISTEN socket of this process appeared on port {port} within {Patience.TotalSeconds:0} s. Hint: bind(fd, \"127.0.0.1\", port), then listen(fd, {backlog}).")
                : null);
        if (verdict is not null)
        {
            run.Dispose();
            return verdict;
        }
        seen.Add($"LISTEN on {listen!.Local} (inode {listen.Inode})");
        return null;
    }

    /// <summary>The last steps of a server exercise: Server returns, and no listener is left on its port. Null when both hold.</summary>
    private static string? ServerEnd(LearnerCode<int> run, int port)
    {
        var end = run.Wait(Patience);
        if (end.End != LearnerCodeEnd.Returned) return Ended(end, "Server");
        return ProcNet.Self.Tcp().Any(e => e.State == KernelTcpState.Listen && e.Local.Port == port)
            ? "Server returned but its listening socket is still open. Hint: close() the listening descriptor too."
            : null;
    }

    /// <summary>The learner's code ended before the checker got going: the placeholder, or an exception.</summary>
    private static ExerciseResult? Early(LearnerCode<int> run, string id, string title, string name)
    {
        if (!run.HasEnded) return null;
        var end = run.Wait(TimeSpan.Zero);
        return end.End switch
        {
            LearnerCodeEnd.NotWritten => Exercise.NotAnswered(id, title, $"write {name} in place of the line that throws NotImplementedException."),
            LearnerCodeEnd.Threw => Exercise.Wrong(id, title, Ended(end, name)),
            _ => null,
        };
    }

    private static string Ended((LearnerCodeEnd End, int Value, Exception? Error) end, string name) => end.End switch
    {
        LearnerCodeEnd.NotWritten => $"{name} still throws NotImplementedException.",
        LearnerCodeEnd.Threw => $"{name} threw {LearnerCode<int>.Describe(end.Error!)}.",
        LearnerCodeEnd.TimedOut => $"{name} was still running {Patience.TotalSeconds:0} s after the checker was done; its sockets were closed to stop it.",
        _ => $"{name} returned.",
    };

    /// <summary>Wrong, naming what was seen before the part that failed; whatever the learner's code left open is closed.</summary>
    private static ExerciseResult Finish(LearnerCode<int> run, string id, string title, List<string> seen, string failure)
    {
        run.Wait(TimeSpan.FromMilliseconds(500));
        run.CloseWhatItOpened();
        return Exercise.Wrong(id, title, (seen.Count > 0 ? string.Join("; ", seen) + "; but " : "") + failure);
    }

    private static byte[] ReadUntilEndOfFile(Socket socket, out bool endOfFile)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        endOfFile = false;
        try
        {
            while (true)
            {
                int n = socket.Receive(buffer);
                if (n == 0)
                {
                    endOfFile = true;
                    break;
                }
                received.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionReset)
        {
            // What arrived so far is the reply; no end of file.
        }
        return [.. received];
    }

    /// <summary>A loopback port free right now (the kernel picks it; the probe closes before the learner binds).</summary>
    /// <summary>
    /// A server with SO_REUSEADDR serves one connection and closes it first, so its end waits in TIME_WAIT on
    /// the server's port; then the listener closes. Returns the port.
    /// </summary>
    private static int LeaveServerTimeWait()
    {
        int port;
        using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.SetRawSocketOption(Native.SocketOptions.SolSocket, Native.SocketOptions.SoReuseAddr, BitConverter.GetBytes(1));
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            port = listener.LocalPort();
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 2000 };
            client.Connect(listener.LocalEndPoint!);
            using (var connection = listener.Accept())
            {
                connection.Shutdown(SocketShutdown.Both);
            }
            client.Receive(new byte[1]); // the server's FIN
        }
        var clock = Stopwatch.StartNew();
        while (!ProcNet.Self.Tcp().Any(e => e.State == KernelTcpState.TimeWait && e.Local.Port == port) && clock.Elapsed < TimeSpan.FromSeconds(2))
            Thread.Sleep(5);
        return port;
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Notebooks.Exercises;

public static partial class SelfCheck
{
    /// <summary>
    /// 14.1: a server that serves three clients at once, a thread for each. The checker connects three clients
    /// together, waits for /proc to show three ESTABLISHED sockets of this process on the server's port (accepted
    /// before any client sent a byte), then has the clients speak in the opposite order to the one they connected
    /// in — a server that serves one connection after another waits on the first and never answers the last.
    /// </summary>
    public static ExerciseResult ConcurrentServer(Action<int> server)
    {
        const string id = "14.1", title = "three clients at once, a thread each";
        const int clients = 3;
        if (!ProcNet.Self.Exists) return Exercise.NotChecked(id, title, "this machine has no /proc/net: the checker cannot see your sockets.");
        var seen = new List<string>();
        if (StartServer(id, title, server, backlog: clients, seen, out var started) is { } notListening) return notListening;
        using var run = started.Run;
        int port = started.Port;

        var sockets = Enumerable.Range(0, clients)
            .Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)Patience.TotalMilliseconds })
            .ToList();
        // On a failure the clients go first: the learner's threads then read end of file and finish, rather than
        // find their descriptors closed under them (an exception on a thread of their own would end the kernel).
        ExerciseResult Fail(string failure)
        {
            foreach (var s in sockets) s.Dispose();
            return Finish(run, id, title, seen, failure);
        }
        try
        {
            var connects = sockets.Select(s => s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port))).ToArray();
            if (!Task.WaitAll(connects, Patience))
                return Fail($"only {connects.Count(c => c.IsCompletedSuccessfully)} of {clients} clients connecting at once got through within {Patience.TotalSeconds:0} s. Hint: listen(fd, 3) queues three.");
            var clientPorts = sockets.Select(s => s.LocalPort()).ToList();

            List<TcpSocketEntry> Accepted() => [.. ProcNet.Self.Tcp().Where(e => e.State == KernelTcpState.Established && e.Local.Port == port
                && clientPorts.Contains(e.Remote.Port) && OwnedHere(e.Inode))];
            var accepted = WaitFor(run, () => Accepted() is { Count: clients } all ? all : null);
            if (accepted is null)
            {
                int count = Accepted().Count;
                return Fail($"with {clients} clients connected and none of them speaking yet, /proc showed {count} accepted socket{(count == 1 ? "" : "s")} of this process on port {port}, not {clients}: " +
                    "your server waits on one client before it accepts the next. Hint: after accept(), start a new Thread that reads and writes back for that connection, and go straight back to accept().");
            }
            seen.Add($"{clients} ESTABLISHED sockets of this process on port {port} at once (inodes {string.Join(", ", accepted.Select(e => e.Inode))}), before any client had sent a byte");

            for (int i = clients - 1; i >= 0; i--)
            {
                byte[] message = Encoding.ASCII.GetBytes($"client {i + 1} says {Random.Shared.Next(1000, 10000)}");
                sockets[i].Send(message);
                var reply = ReadUntilEndOfFile(sockets[i], out bool endOfFile);
                if (!reply.AsSpan().SequenceEqual(message))
                    return Fail(reply.Length == 0
                        ? $"client {i + 1} (which connected after clients 1–{i}) spoke first and got no reply within {Patience.TotalSeconds:0} s: its connection is not being served while the others are quiet. Hint: one thread per accepted connection."
                        : $"client {i + 1} sent \"{Encoding.ASCII.GetString(message)}\" and got back \"{Encoding.ASCII.GetString(reply)}\". Hint: write() back the n bytes read() returned.");
                if (!endOfFile) return Fail($"client {i + 1} got its reply, but the connection stayed open. Hint: close(connection) when its thread is done.");
            }
            seen.Add($"the clients were answered in the order 3, 2, 1 — the opposite of the order they connected in — each connection then closed");

            if (ServerEnd(run, port) is { } notEnded) return Fail(notEnded);
            seen.Add("Server returned and the listener was closed");
            return Exercise.Correct(id, title, string.Join("; ", seen) + ".");
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }
}

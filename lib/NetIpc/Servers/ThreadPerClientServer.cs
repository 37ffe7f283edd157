using System.Diagnostics;
using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Servers;

/// <summary>
/// Blocking sockets: an accept loop on a thread of its own, and for each accepted connection a new thread that
/// reads and writes back until the client goes. Every call blocks its thread; the kernel wakes the thread
/// whose socket has data.
/// </summary>
internal sealed class ThreadPerClientServer : IEchoServer
{
    private readonly Thread acceptor;
    private readonly List<(Thread Thread, Socket Socket, int Fd)> handlers = [];
    private int accepted;
    private volatile string? failure;

    public ThreadPerClientServer(Socket listener, int clients, int size)
    {
        acceptor = new Thread(() => AcceptLoop(listener, clients, size)) { IsBackground = true, Name = "accept loop" };
        acceptor.Start();
    }

    public int Accepted => Volatile.Read(ref accepted);

    public string? Failure => failure;

    public IReadOnlyList<int> ConnectionFds()
    {
        lock (handlers)
        {
            return [.. handlers.Select(h => h.Fd)];
        }
    }

    private void AcceptLoop(Socket listener, int clients, int size)
    {
        for (int i = 0; i < clients; i++)
        {
            Socket connection;
            try
            {
                connection = listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // the listener was closed: the run is over
            }
            connection.NoDelay = true;
            var handler = new Thread(() => Echo(connection, size)) { IsBackground = true, Name = ManyClientsExperiment.ServerThreadName };
            try
            {
                handler.Start();
            }
            catch (OutOfMemoryException e)
            {
                // pthread_create failed: RLIMIT_NPROC, the cgroup's pids.max, or memory.
                failure = $"thread {i + 1} could not be started ({e.Message})";
                connection.Dispose();
                return;
            }
            lock (handlers)
            {
                handlers.Add((handler, connection, Descriptor.Of(connection)));
            }
            Interlocked.Increment(ref accepted);
        }
    }

    private static void Echo(Socket connection, int size)
    {
        var buffer = new byte[size];
        try
        {
            while (true)
            {
                int n = connection.Receive(buffer);
                if (n == 0)
                {
                    return;
                }
                connection.Send(buffer.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client's RST (ECONNRESET): the conversation is over.
        }
        finally
        {
            connection.Dispose();
        }
    }

    public bool Stop(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        bool ended = acceptor.Join(limit);
        List<(Thread Thread, Socket Socket, int Fd)> all;
        lock (handlers)
        {
            all = [.. handlers];
        }
        foreach (var (thread, socket, _) in all)
        {
            var left = limit - clock.Elapsed;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                socket.Abort(); // wakes its blocked Receive
                thread.Join(TimeSpan.FromSeconds(1));
                ended = false;
            }
        }
        return ended;
    }
}

using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Servers;

/// <summary>
/// .NET's async sockets: no thread of its own. The runtime's SocketAsyncEngine registers each socket with one
/// epoll instance (edge-triggered) and a thread of its own waits in epoll_wait; when a socket is ready it queues
/// the waiting continuation to the thread pool, which runs the next step of that connection's loop.
/// </summary>
internal sealed class EventLoopServer : IEchoServer
{
    private readonly Task acceptLoop;
    private readonly List<Task> handlers = [];
    private readonly List<int> fds = [];
    private int accepted;

    public EventLoopServer(Socket listener, int clients, int size) => acceptLoop = AcceptLoop(listener, clients, size);

    public int Accepted => Volatile.Read(ref accepted);

    public string? Failure => acceptLoop.IsFaulted ? acceptLoop.Exception!.InnerExceptions[0].Message : null;

    public IReadOnlyList<int> ConnectionFds()
    {
        lock (handlers)
        {
            return [.. fds];
        }
    }

    private async Task AcceptLoop(Socket listener, int clients, int size)
    {
        for (int i = 0; i < clients; i++)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            connection.NoDelay = true;
            lock (handlers)
            {
                fds.Add(Descriptor.Of(connection));
                handlers.Add(Echo(connection, size));
            }
            Interlocked.Increment(ref accepted);
        }
    }

    private static async Task Echo(Socket connection, int size)
    {
        var buffer = new byte[size];
        try
        {
            while (true)
            {
                int n = await connection.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }
                await connection.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client's RST: the conversation is over.
        }
        finally
        {
            connection.Dispose();
        }
    }

    public bool Stop(TimeSpan limit)
    {
        Task[] all;
        lock (handlers)
        {
            all = [acceptLoop, .. handlers];
        }
        try
        {
            return Task.WaitAll(all, limit);
        }
        catch (AggregateException)
        {
            return true; // ended, if by an exception no handler lets through
        }
    }
}

using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>
/// The sockets one experiment opens, closed together: at once when the experiment is cancelled — closing a
/// socket wakes every call blocked on it, which is how a timed-out experiment stops (see
/// <c>NetworkNamespace.Run</c>) — and when the experiment ends, however it ends.
/// </summary>
public sealed class OwnedSockets : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly Action<Socket> _close;
    private readonly CancellationTokenRegistration _onCancel;
    private bool _closed;

    /// <param name="cancel">Closes every socket when it fires.</param>
    /// <param name="abortive">Close with SO_LINGER 0 (RST, nothing left in TIME_WAIT) rather than with a FIN: for
    /// experiments whose sockets would otherwise linger in the namespace's tables or counters.</param>
    public OwnedSockets(CancellationToken cancel, bool abortive = false)
    {
        _close = abortive ? static s => s.Abort() : static s => s.Dispose();
        _onCancel = cancel.Register(CloseAll);
    }

    /// <summary>Takes ownership of <paramref name="socket"/> and returns it. After the set has closed, the socket is closed at once.</summary>
    public Socket Track(Socket socket)
    {
        lock (_sockets)
        {
            if (!_closed)
            {
                _sockets.Add(socket);
                return socket;
            }
        }
        // The experiment was cancelled while this socket was being made: it must not outlive the others.
        _close(socket);
        throw new ObjectDisposedException(nameof(OwnedSockets), "the experiment was cancelled; its sockets are closed");
    }

    public void Dispose()
    {
        _onCancel.Dispose();
        CloseAll();
    }

    private void CloseAll()
    {
        Socket[] sockets;
        lock (_sockets)
        {
            _closed = true;
            sockets = [.. _sockets];
            _sockets.Clear();
        }
        foreach (var socket in sockets)
        {
            _close(socket);
        }
    }
}

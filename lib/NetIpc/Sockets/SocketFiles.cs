namespace NetIpc.Sockets;

/// <summary>
/// Names for the socket files of one demo: directly in /tmp, one random prefix per demo so two demos never
/// collide, and no folder — what /proc/net/unix shows is then the same shape on every machine. Dispose
/// removes every file it named that is still there.
/// </summary>
public sealed class SocketFiles : IDisposable
{
    private readonly string tag = $"netipc-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly List<string> named = [];

    private string prefix => $"/tmp/{tag}";

    /// <summary>"/tmp/netipc-1a2b3c4d seed server.sock" for "seed server.sock": spaces kept on purpose.</summary>
    public string this[string name]
    {
        get
        {
            string path = $"{prefix} {name}";
            if (!named.Contains(path))
            {
                named.Add(path);
            }
            return path;
        }
    }

    /// <summary>
    /// "\0netipc-1a2b3c4d\0zoo" for "zoo": an abstract name (no file; /proc/net/unix prints each NUL as '@')
    /// with the same per-demo prefix. One name per process collided: two demos alive at once in one process
    /// cannot share it, and a test once found it still taken right after the previous demo's Dispose (the
    /// kernel frees the name when the last copy of the descriptor closes, and a child forked by another
    /// thread holds copies until it execs).
    /// </summary>
    public string Abstract(string name) => $"\0{tag}\0{name}";

    public void Dispose()
    {
        foreach (var path in named)
        {
            File.Delete(path); // no error when .NET already unlinked it on closing the socket
        }
    }
}

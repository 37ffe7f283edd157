namespace NetIpc.Sockets;

/// <summary>
/// Names for the socket files of one demo: directly in /tmp, one random prefix per demo so two demos never
/// collide, and no folder — what /proc/net/unix shows is then the same shape on every machine. Dispose
/// removes every file it named that is still there.
/// </summary>
public sealed class SocketFiles : IDisposable
{
    private readonly string prefix = $"/tmp/netipc-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly List<string> named = [];

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

    public void Dispose()
    {
        foreach (var path in named)
        {
            File.Delete(path); // no error when .NET already unlinked it on closing the socket
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>Which descriptors are open through Sys, and the .NET socket behind each.</summary>
public static partial class Sys
{
    private static readonly Dictionary<int, Socket> Open = [];
    private static readonly Dictionary<int, int> OpenedByThread = [];
    private static readonly object Gate = new();

    /// <summary>The .NET socket behind an fd, for what the C-like calls do not cover.</summary>
    public static Socket Get(int fd)
    {
        lock (Gate)
        {
            return Open.TryGetValue(fd, out var s) ? s : throw new NotASocketException(fd);
        }
    }

    /// <summary>The local port an fd is bound to (0 before bind).</summary>
    public static int local_port(int fd) => Get(fd).LocalEndPoint is IPEndPoint e ? e.Port : 0;

    /// <summary>The descriptors open through Sys right now, lowest first.</summary>
    public static IReadOnlyList<int> OpenDescriptors()
    {
        lock (Gate)
        {
            return [.. Open.Keys.Order()];
        }
    }

    /// <summary>The descriptors open through Sys that one managed thread opened (socket or accept), lowest first.</summary>
    public static IReadOnlyList<int> OpenDescriptorsOf(int managedThreadId)
    {
        lock (Gate)
        {
            return [.. OpenedByThread.Where(p => p.Value == managedThreadId).Select(p => p.Key).Order()];
        }
    }

    /// <summary>Closes every socket still open through Sys; returns how many there were.</summary>
    public static int CloseAll()
    {
        List<Socket> all;
        lock (Gate)
        {
            all = [.. Open.Values];
            Open.Clear();
            OpenedByThread.Clear();
        }
        foreach (var s in all)
        {
            s.Dispose();
        }
        return all.Count;
    }

    private static int Register(Socket s)
    {
        int fd = Descriptor.Of(s);
        lock (Gate)
        {
            Open[fd] = s;
            OpenedByThread[fd] = Environment.CurrentManagedThreadId;
        }
        return fd;
    }
    /// <summary>As in C, a number that is not an open descriptor is EBADF, not an exception.</summary>
    private static bool IsBadDescriptor(int fd)
    {
        lock (Gate)
        {
            return !Open.ContainsKey(fd);
        }
    }
}

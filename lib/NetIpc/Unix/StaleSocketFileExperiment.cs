using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using NetIpc.Native;
using NetIpc.Sockets;

namespace NetIpc.Unix;

/// <summary>What happens to a UNIX socket's file when its server closes, the .NET way and the C way.</summary>
internal static class StaleSocketFileExperiment
{
    /// <summary>
    /// Binds a path and closes it twice over: with .NET's Dispose (which unlinks the file it bound) and with a
    /// bare close(2) as C does (which leaves it); then binds again (refused while the file is there),
    /// unlinks and binds once more.
    /// </summary>
    public static StaleSocketFile Run()
    {
        using var files = new SocketFiles();
        string path = files["server.sock"];
        bool whileBound;
        using (var dotnet = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dotnet.Bind(new UnixDomainSocketEndPoint(path));
            dotnet.Listen(1);
            whileBound = File.Exists(path);
        }
        bool afterDispose = File.Exists(path);

        // The C server's descriptor comes from libc, not from a Socket: closing an fd a SafeHandle still owns
        // would let the handle act on whatever file reuses the number.
        CloseAsC(ListenAsC(path));
        bool afterClose = File.Exists(path);

        string TryBind()
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                s.Bind(new UnixDomainSocketEndPoint(path));
                return "bind() = 0";
            }
            catch (SocketException e)
            {
                return $"bind() = -1 {Errno.Describe(e.NativeErrorCode)}";
            }
        }
        string again = TryBind();
        File.Delete(path);
        string afterUnlink = TryBind();
        return new StaleSocketFile(whileBound, afterDispose, afterClose, again, afterUnlink);
    }

    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000; // or every process started meanwhile (ip, a test's child) inherits it

    /// <summary>socket(), bind() and listen() as the seed's C server calls them; the caller owns the fd it returns.</summary>
    internal static int ListenAsC(string path)
    {
        int fd = LibC.Socket(AfUnix, SockStream | SockCloexec, 0);
        if (fd < 0)
        {
            throw Failed("socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)");
        }
        try
        {
            var address = SocketAddressOf(path);
            if (LibC.Bind(fd, address, address.Length) != 0)
            {
                throw Failed($"bind({fd}, \"{path}\")");
            }
            if (LibC.Listen(fd, 1) != 0)
            {
                throw Failed($"listen({fd}, 1)");
            }
            return fd;
        }
        catch
        {
            // The failure being reported is the one above; a close that fails too would only hide it.
            LibC.Close(fd);
            throw;
        }
    }

    /// <summary>close(2), whose failure is an error, not a detail: EBADF means the number was not (or no longer) ours.</summary>
    internal static void CloseAsC(int fd)
    {
        // Not retried on EINTR: Linux has released the descriptor by then, and a retry could close a reused number.
        if (LibC.Close(fd) != 0)
        {
            throw Failed($"close({fd})");
        }
    }

    private static IOException Failed(string call) => new($"{call} failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");

    /// <summary>struct sockaddr_un for a path: the family, then the path's bytes and their terminating NUL.</summary>
    private static byte[] SocketAddressOf(string path)
    {
        const int sunPathLength = 108;
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= sunPathLength)
        {
            throw new ArgumentException($"a UNIX socket path holds at most {sunPathLength - 1} bytes; {path} has {bytes.Length}", nameof(path));
        }
        var address = new byte[sizeof(ushort) + bytes.Length + 1];
        BitConverter.TryWriteBytes(address, (ushort)AfUnix); // sa_family_t in the machine's byte order
        bytes.CopyTo(address, sizeof(ushort));
        return address;
    }
}

using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Experiments;

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

        var c = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        c.Bind(new UnixDomainSocketEndPoint(path));
        c.Listen(1);
        // Close the descriptor the way C does, then tell .NET it no longer owns it (so it neither closes nor unlinks).
        Native.LibC.Close(Descriptor.Of(c));
        c.SafeHandle.SetHandleAsInvalid();
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
                return $"bind() = -1 {Native.Errno.Describe(e.NativeErrorCode)}";
            }
        }
        string again = TryBind();
        File.Delete(path);
        string afterUnlink = TryBind();
        return new StaleSocketFile(whileBound, afterDispose, afterClose, again, afterUnlink);
    }
}

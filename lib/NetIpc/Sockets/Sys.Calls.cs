using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Native;

namespace NetIpc.Sockets;

/// <summary>The system calls, each returning what C would and setting <see cref="errno"/> when it fails.</summary>
public static partial class Sys
{
    /// <summary>
    /// socket(2). Protocol 0 becomes <see cref="ProtocolType.Unspecified"/>, so .NET adds nothing of its own
    /// (with <see cref="ProtocolType.Tcp"/> it would set SO_REUSEADDR on every TCP socket). Descriptors are
    /// opened with SOCK_CLOEXEC, as .NET opens every socket.
    /// </summary>
    public static int socket(AddressFamily domain, SocketType type, int protocol = 0)
    {
        bool nonBlocking = (type & SOCK_NONBLOCK) != 0;
        var plain = type & ~SOCK_NONBLOCK;
        var s = new Socket(domain, plain, protocol == 0 ? ProtocolType.Unspecified : (ProtocolType)protocol);
        if (nonBlocking) s.Blocking = false;
        int fd = Register(s);
        Trace($"socket({Name(domain)}, {Name(plain)}{(nonBlocking ? " | SOCK_NONBLOCK" : "")}, {protocol})", fd);
        return fd;
    }

    public static int bind(int fd, string address, int port) => Call($"bind({fd}, {Endpoint(address, port)})",
        () => Get(fd).Bind(new IPEndPoint(IPAddress.Parse(address), port)));

    /// <summary>bind() of an AF_UNIX socket to a path (a leading '\0' makes it an abstract name).</summary>
    public static int bind(int fd, string path) => Call($"bind({fd}, \"{Printable(path)}\")",
        () => Get(fd).Bind(new UnixDomainSocketEndPoint(path)));

    /// <summary>connect() of an AF_UNIX socket to a path.</summary>
    public static int connect(int fd, string path) => Call($"connect({fd}, \"{Printable(path)}\")",
        () => Get(fd).Connect(new UnixDomainSocketEndPoint(path)));

    /// <summary>unlink(2): removes a name from the file system, e.g. a UNIX socket's path.</summary>
    public static int unlink(string path)
    {
        int result = LibC.Unlink(path);
        if (result == -1) lastErrno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        Trace($"unlink(\"{path}\")", result);
        return result;
    }

    /// <summary>
    /// recvfrom(2) on an AF_INET datagram socket: one datagram into <paramref name="buffer"/> (the rest of a longer
    /// one is discarded, as in C), and who sent it.
    /// </summary>
    public static int recvfrom(int fd, byte[] buffer, out string address, out int port)
    {
        address = "";
        port = 0;
        try
        {
            EndPoint from = new IPEndPoint(IPAddress.IPv6Any, 0);
            var socket = Get(fd);
            if (socket.AddressFamily == AddressFamily.InterNetwork) from = new IPEndPoint(IPAddress.Any, 0);
            var flags = SocketFlags.None;
            int n = socket.ReceiveMessageFrom(buffer, ref flags, ref from, out _);
            if (from is IPEndPoint sender)
            {
                address = sender.Address.ToString();
                port = sender.Port;
            }
            Trace($"recvfrom({fd}, {Quote(buffer.AsSpan(0, n))}, {buffer.Length}, {Endpoint(address, port)})", n);
            return n;
        }
        catch (SocketException e)
        {
            return Fail($"recvfrom({fd}, …, {buffer.Length})", e);
        }
        catch (ArgumentException) when (IsBadDescriptor(fd))
        {
            return Fail($"recvfrom({fd}, …, {buffer.Length})", EBADF);
        }
    }

    /// <summary>sendto(2): one datagram to an address.</summary>
    public static int sendto(int fd, ReadOnlySpan<byte> bytes, string address, int port)
    {
        try
        {
            int n = Get(fd).SendTo(bytes, SocketFlags.None, new IPEndPoint(IPAddress.Parse(address), port));
            Trace($"sendto({fd}, {Quote(bytes)}, {bytes.Length}, {Endpoint(address, port)})", n);
            return n;
        }
        catch (SocketException e)
        {
            return Fail($"sendto({fd}, …, {bytes.Length}, {Endpoint(address, port)})", e);
        }
        catch (ArgumentException) when (IsBadDescriptor(fd))
        {
            return Fail($"sendto({fd}, …, {bytes.Length}, {Endpoint(address, port)})", EBADF);
        }
    }

    /// <summary>
    /// setsockopt(SO_REUSEADDR), then bind() to the seed's port 9501 — or, when the kernel refuses it even
    /// so, to a port it picks (with one line saying so). Returns the port, so a chapter never fails because
    /// another program holds 9501. SO_REUSEADDR, as every server of the course sets it, so that the
    /// TIME_WAIT an earlier run left on 9501 never pushes a later run off it (chapter 06 shows why it takes
    /// both runs setting it); it is traced like any other call, so the cell shows what the server did.
    /// <paramref name="preferred"/> is for callers that must leave 9501 to the chapters (tests).
    /// </summary>
    public static int bind_seed_port(int fd, string address, int preferred = SeedPort.Number)
    {
        var choice = SeedPort.Bind(Get(fd), IPAddress.Parse(address), preferred);
        Trace($"setsockopt({fd}, SOL_SOCKET, SO_REUSEADDR, 1)", 0);
        if (choice.Note is not null && trace)
        {
            (TraceOutput ?? Console.Out).WriteLine($"bind({fd}, {Endpoint(address, choice.Preferred)}) = -1 {Errno.Describe(EADDRINUSE)}");
            Trace($"bind({fd}, {Endpoint(address, 0)}) [{choice.Sentence}]", 0);
        }
        else
        {
            Trace($"bind({fd}, {Endpoint(address, choice.Port)})", 0);
        }
        return choice.Port;
    }

    public static int listen(int fd, int backlog) => Call($"listen({fd}, {backlog})", () => Get(fd).Listen(backlog));

    public static int connect(int fd, string address, int port) => Call($"connect({fd}, {Endpoint(address, port)})",
        () => Get(fd).Connect(new IPEndPoint(IPAddress.Parse(address), port)));

    /// <summary>Takes one connection off the accept queue; returns its new fd.</summary>
    public static int accept(int fd)
    {
        try
        {
            var connection = Get(fd).Accept();
            int newFd = Register(connection);
            Trace($"accept({fd}) [peer {connection.RemoteEndPoint}]", newFd);
            return newFd;
        }
        catch (SocketException e)
        {
            return Fail($"accept({fd})", e);
        }
        catch (InvalidOperationException) when (!IsBadDescriptor(fd))
        {
            // .NET refuses accept() before listen() itself; the kernel says EINVAL.
            return Fail($"accept({fd})", EINVAL);
        }
        catch (ArgumentException) when (IsBadDescriptor(fd))
        {
            return Fail($"accept({fd})", EBADF);
        }
    }

    /// <summary>Reads up to buffer.Length bytes; 0 means the peer closed (end of file).</summary>
    public static int read(int fd, byte[] buffer)
    {
        try
        {
            int n = Get(fd).Receive(buffer);
            Trace($"read({fd}, {Quote(buffer.AsSpan(0, n))}, {buffer.Length})", n);
            return n;
        }
        catch (SocketException e)
        {
            return Fail($"read({fd}, …, {buffer.Length})", e);
        }
        catch (ArgumentException) when (IsBadDescriptor(fd))
        {
            return Fail($"read({fd}, …, {buffer.Length})", EBADF);
        }
    }

    public static int write(int fd, ReadOnlySpan<byte> bytes)
    {
        try
        {
            int n = Get(fd).Send(bytes);
            Trace($"write({fd}, {Quote(bytes)}, {bytes.Length})", n);
            return n;
        }
        catch (SocketException e)
        {
            return Fail($"write({fd}, …, {bytes.Length})", e);
        }
        catch (ArgumentException) when (IsBadDescriptor(fd))
        {
            return Fail($"write({fd}, …, {bytes.Length})", EBADF);
        }
    }

    public static int write(int fd, string text) => write(fd, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// setsockopt with an int value. SO_REUSEADDR and SO_REUSEPORT are set one at a time, unlike
    /// .NET's ReuseAddress, which on Linux sets both.
    /// </summary>
    public static int setsockopt(int fd, int level, int option, int value) =>
        Call($"setsockopt({fd}, {(level == SOL_SOCKET ? "SOL_SOCKET" : level)}, {OptionName(option)}, {value})",
            () => Get(fd).SetRawSocketOption(level, option, BitConverter.GetBytes(value)));

    public static int getsockopt(int fd, int level, int option)
    {
        var value = new byte[4];
        Get(fd).GetRawSocketOption(level, option, value);
        int result = BitConverter.ToInt32(value);
        Trace($"getsockopt({fd}, {(level == SOL_SOCKET ? "SOL_SOCKET" : level)}, {OptionName(option)}, [{result}])", 0);
        return result;
    }

    /// <summary>fcntl(fd, F_SETFL, O_NONBLOCK): calls that would wait return -1 with EAGAIN instead.</summary>
    public static int set_nonblocking(int fd) => Call($"fcntl({fd}, F_SETFL, O_NONBLOCK)", () => Get(fd).Blocking = false);

    public static int close(int fd)
    {
        Socket? s;
        lock (Gate)
        {
            Open.Remove(fd, out s);
            OpenedByThread.Remove(fd);
        }
        if (s is null)
        {
            lastErrno = EBADF;
            Trace($"close({fd})", -1);
            return -1;
        }
        s.Dispose();
        Trace($"close({fd})", 0);
        return 0;
    }
}

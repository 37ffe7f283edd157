using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Native;

namespace NetIpc.Sockets;

/// <summary>
/// The socket calls the seed's C programs make, spelled the same way, over System.Net.Sockets: an fd is
/// the real descriptor number, a failed call returns -1 and sets <see cref="errno"/>. With tracing on,
/// each call prints itself like strace: <c>bind(193, 0.0.0.0:9501) = -1 EADDRINUSE (98)</c>.
/// Meant for notebook cells that read like the seed (<c>using static NetIpc.Sockets.Sys;</c>);
/// <see cref="CloseAll"/> closes whatever a chapter left open.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "C names, on purpose")]
public static class Sys
{
    public const AddressFamily AF_INET = AddressFamily.InterNetwork;
    public const AddressFamily AF_INET6 = AddressFamily.InterNetworkV6;
    public const AddressFamily AF_UNIX = AddressFamily.Unix;
    public const SocketType SOCK_STREAM = SocketType.Stream;
    public const SocketType SOCK_DGRAM = SocketType.Dgram;
    /// <summary>OR it into the type, as in C: <c>socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK)</c>.</summary>
    public const SocketType SOCK_NONBLOCK = (SocketType)0x800;
    public const int SOL_SOCKET = Native.SocketOptions.SolSocket;
    public const int SO_REUSEADDR = Native.SocketOptions.SoReuseAddr;
    public const int SO_SNDBUF = Native.SocketOptions.SoSndBuf;
    public const int SO_RCVBUF = Native.SocketOptions.SoRcvBuf;
    public const int SO_REUSEPORT = Native.SocketOptions.SoReusePort;
    public const int EAGAIN = 11;
    public const int EINPROGRESS = 115;
    public const int EBADF = 9;
    public const int EINVAL = 22;
    public const int EADDRINUSE = 98;

    private static readonly Dictionary<int, Socket> Open = [];
    private static readonly Dictionary<int, int> OpenedByThread = [];
    private static readonly object Gate = new();

    /// <summary>Print each call as it is made (off by default).</summary>
    public static bool trace { get; set; }

    /// <summary>
    /// Where traced calls go; null (the default) means whatever Console.Out is at the time of the call —
    /// a notebook kernel swaps Console.Out for every cell, so it must not be captured once.
    /// </summary>
    public static TextWriter? TraceOutput { get; set; }

    /// <summary>The error of the last call that returned -1, as in C. Thread-local, like C's errno.</summary>
    [ThreadStatic]
    private static int lastErrno;

    public static int errno => lastErrno;

    /// <summary>
    /// The chapter's sentence about a call, checked: <paramref name="result"/> is what the call returned, and
    /// <paramref name="expectedErrno"/> 0 means it must have succeeded, anything else that it failed with that
    /// errno. Throws <see cref="Experiments.ProofFailedException"/> naming what the kernel did instead.
    /// </summary>
    public static void expect(int result, int expectedErrno)
    {
        bool holds = expectedErrno == 0 ? result != -1 : result == -1 && lastErrno == expectedErrno;
        if (!holds)
        {
            string wanted = expectedErrno == 0 ? "the call succeeds" : $"the call fails with {Errno.Describe(expectedErrno)}";
            string seen = result == -1 ? $"-1 {Errno.Describe(lastErrno)}" : $"it returned {result}";
            throw new Experiments.ProofFailedException([new Experiments.ProofCheck(wanted, false, seen)]);
        }
    }

    /// <summary>The chapter's sentence about a call's return value, checked: e.g. read() at end of file returns 0.</summary>
    public static void expect_returns(int result, int expected)
    {
        if (result != expected)
        {
            string seen = result == -1 ? $"-1 {Errno.Describe(lastErrno)}" : $"it returned {result}";
            throw new Experiments.ProofFailedException([new Experiments.ProofCheck($"the call returns {expected}", false, seen)]);
        }
    }

    /// <summary>"EADDRINUSE (98)": the name and number of <see cref="errno"/>.</summary>
    public static string strerror(int error) => Errno.Describe(error);

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

    private static int Call(string call, Action action)
    {
        try
        {
            action();
            Trace(call, 0);
            return 0;
        }
        catch (SocketException e)
        {
            return Fail(call, e);
        }
        catch (NotASocketException)
        {
            return Fail(call, EBADF);
        }
    }

    /// <summary>As in C, a number that is not an open descriptor is EBADF, not an exception.</summary>
    private static bool IsBadDescriptor(int fd)
    {
        lock (Gate)
        {
            return !Open.ContainsKey(fd);
        }
    }

    private static int Fail(string call, int error)
    {
        lastErrno = error;
        Trace(call, -1);
        return -1;
    }

    private static int Fail(string call, SocketException e)
    {
        // On Linux SocketException.NativeErrorCode is the errno the system call set.
        lastErrno = e.NativeErrorCode;
        Trace(call, -1);
        return -1;
    }

    private static void Trace(string call, int result)
    {
        if (trace)
        {
            (TraceOutput ?? Console.Out).WriteLine(result == -1 ? $"{call} = -1 {Errno.Describe(lastErrno)}" : $"{call} = {result}");
        }
    }

    private static string Printable(string path) => path.Replace("\0", "\\0", StringComparison.Ordinal);

    private static string Endpoint(string address, int port) => address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";

    private static string Quote(ReadOnlySpan<byte> bytes)
    {
        string text = Encoding.UTF8.GetString(bytes.Length > 32 ? bytes[..32] : bytes).Replace("\r", "\\r").Replace("\n", "\\n");
        return $"\"{text}\"{(bytes.Length > 32 ? "…" : "")}";
    }

    private static string Name(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => "AF_INET",
        AddressFamily.InterNetworkV6 => "AF_INET6",
        AddressFamily.Unix => "AF_UNIX",
        _ => family.ToString(),
    };

    private static string Name(SocketType type) => type switch
    {
        SocketType.Stream => "SOCK_STREAM",
        SocketType.Dgram => "SOCK_DGRAM",
        _ => type.ToString(),
    };

    private static string OptionName(int option) => option switch
    {
        SO_REUSEADDR => "SO_REUSEADDR",
        SO_REUSEPORT => "SO_REUSEPORT",
        SO_SNDBUF => "SO_SNDBUF",
        SO_RCVBUF => "SO_RCVBUF",
        _ => option.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A number that is not a descriptor open through <see cref="Sys"/>; the C-like calls turn it into EBADF.</summary>
public sealed class NotASocketException(int fd)
    : ArgumentException($"fd {fd} is not a socket opened through Sys (or it was closed)", nameof(fd));

using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Unix;

/// <summary>One UNIX socket the demo opened, and what /proc/net/unix says about it.</summary>
public sealed record UnixSocketView(string Role, int Fd, string ProcLine, UnixSocketEntry Entry);

/// <summary>
/// Chapter 11: the UNIX domain sockets the seed describes — a socketpair, a stream server bound to a
/// path and a client, a datagram server and a client that binds its own path to get a reply, and an
/// abstract name — each found in /proc/net/unix by its inode. Dispose closes them and removes the files.
/// </summary>
public sealed class UnixSockets : IDisposable
{
    private readonly List<(string Role, Socket Socket)> sockets = [];

    private readonly SocketFiles files = new();

    private UnixSockets()
    {
    }

    public string StreamPath => files["seed server.sock"];

    public string DatagramServerPath => files["dgram server.sock"];

    public string DatagramClientPath => files["dgram client.sock"];

    public string AbstractName => files.Abstract("unix");

    /// <summary>The datagram exchange: what the server saw as the sender's address, and the reply the client got.</summary>
    public string? DatagramSenderSeenByServer { get; private set; }

    public string? DatagramReply { get; private set; }

    public static UnixSockets Start()
    {
        var demo = new UnixSockets();
        try
        {
            demo.Open();
            return demo;
        }
        catch
        {
            demo.Dispose();
            throw;
        }
    }

    private void Open()
    {
        var (a, b) = SocketPair.Create();
        Keep("socketpair end 1", a);
        Keep("socketpair end 2", b);
        a.Send("over the pair"u8);

        var listener = Keep("stream server (listening)", new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        listener.Bind(new UnixDomainSocketEndPoint(StreamPath));
        listener.Listen(5);
        var client = Keep("stream client", new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        client.Connect(new UnixDomainSocketEndPoint(StreamPath));
        Keep("stream server (accepted)", listener.Accept());

        var dgramServer = Keep("datagram server", new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified));
        dgramServer.Bind(new UnixDomainSocketEndPoint(DatagramServerPath));
        var dgramClient = Keep("datagram client (bound, to get a reply)", new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified));
        dgramClient.Bind(new UnixDomainSocketEndPoint(DatagramClientPath));
        dgramClient.SendTo("ping"u8, new UnixDomainSocketEndPoint(DatagramServerPath));
        var buffer = new byte[64];
        EndPoint from = new UnixDomainSocketEndPoint(DatagramClientPath);
        int n = dgramServer.ReceiveFrom(buffer, ref from);
        DatagramSenderSeenByServer = from.ToString();
        dgramServer.SendTo(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(buffer, 0, n).Replace("ping", "pong")), from);
        dgramClient.ReceiveTimeout = 1000;
        DatagramReply = Encoding.ASCII.GetString(buffer, 0, dgramClient.Receive(buffer));

        var hidden = Keep("abstract listener", new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        hidden.Bind(new UnixDomainSocketEndPoint(AbstractName));
        hidden.Listen(1);
    }

    private Socket Keep(string role, Socket socket)
    {
        sockets.Add((role, socket));
        return socket;
    }

    /// <summary>Each socket with its fd and its line of /proc/net/unix, read now.</summary>
    public IReadOnlyList<UnixSocketView> Views()
    {
        // DistinctBy: a table read in chunks while sockets come and go can list one socket twice.
        var byInode = UnixTable.ParseWithText(ProcNet.Self.Read("unix")).DistinctBy(l => l.Entry.Inode).ToDictionary(l => l.Entry.Inode);
        return sockets.Select(s =>
        {
            var (line, entry) = byInode[Descriptor.InodeOf(s.Socket)];
            return new UnixSocketView(s.Role, Descriptor.Of(s.Socket), line, entry);
        }).ToList();
    }

    /// <summary>
    /// What a C server that ended without unlink() leaves at <paramref name="path"/>: a socket file with no socket
    /// behind it (bound and closed with libc; .NET's Dispose would have removed it). The next bind() there fails
    /// with EADDRINUSE until someone unlinks the path.
    /// </summary>
    public static void LeaveStaleFile(string path) => StaleSocketFileExperiment.CloseAsC(StaleSocketFileExperiment.ListenAsC(path));

    /// <summary>Opens the demo, takes its snapshot, closes everything.</summary>
    public static UnixSocketsSnapshot Snapshot()
    {
        using var demo = Start();
        return new UnixSocketsSnapshot(
            demo.Views().Select(v => new UnixSocketRow(v.Role, v.Fd, v.Entry.Type.ToString(),
                v.Entry.IsListening ? "listening" : v.Entry.State.ToString(), v.Entry.Inode, v.Entry.Path ?? "(none)", v.ProcLine)).ToList(),
            demo.DatagramSenderSeenByServer, demo.DatagramReply);
    }

    /// <inheritdoc cref="StaleSocketFileExperiment.Run"/>
    public static StaleSocketFile StaleFile() => StaleSocketFileExperiment.Run();

    /// <summary>An open file passed to another process over a UNIX socket (SCM_RIGHTS), and that process named by SO_PEERCRED.</summary>
    public static DescriptorPassingResult PassDescriptor() => DescriptorPassingExperiment.Run();

    /// <summary>The receiving side of <see cref="PassDescriptor"/>, run by the experiment host in a process of its own.</summary>
    public static void ReceiveDescriptorHere(string socketPath, TextWriter output) => DescriptorPassingExperiment.ReceiveHere(socketPath, output);

    /// <summary>A TCP socket and a UNIX stream socket asked for their domain, type and protocol, and found in /proc/net.</summary>
    public static StreamTypesResult StreamTypes() => StreamTypesExperiment.Run();

    /// <summary>connect() to a socket file without write permission, and to an abstract name, from a thread without capabilities.</summary>
    public static SocketPermissionsResult Permissions() => SocketPermissionsExperiment.Run();

    public void Dispose()
    {
        foreach (var (_, socket) in sockets)
        {
            socket.Dispose();
        }
        sockets.Clear();
        files.Dispose();
    }
}

/// <summary>One row of the demo's table: a socket, its fd, and its line of /proc/net/unix decoded.</summary>
public sealed record UnixSocketRow(string Socket, int Fd, string Type, string State, ulong Inode, string Path, string ProcLine);

/// <summary>Everything chapter 11 shows of the demo, taken at one moment (and what data/ records).</summary>
public sealed record UnixSocketsSnapshot(IReadOnlyList<UnixSocketRow> Rows, string? DatagramSenderSeenByServer, string? DatagramReply)
{

    /// <summary>The kernel's own lines, as /proc/net/unix prints them.</summary>
    public string ProcLines => string.Join('\n', Rows.Select(r => r.ProcLine));
}

/// <summary>What happens to a socket file when its server closes, and why C servers unlink() before bind().</summary>
public sealed record StaleSocketFile(bool FileExistsWhileBound, bool FileExistsAfterDotnetDispose, bool FileExistsAfterCClose, string BindAgain, string BindAfterUnlink);

using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Native;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.SocketTables;

/// <summary>One socket() call and what the kernel made of it.</summary>
/// <param name="SoType">getsockopt(SO_TYPE): 1 SOCK_STREAM, 2 SOCK_DGRAM, 3 SOCK_RAW.</param>
/// <param name="SoProtocol">getsockopt(SO_PROTOCOL): 6 IPPROTO_TCP, 17 IPPROTO_UDP.</param>
/// <param name="NonBlocking">O_NONBLOCK in fcntl(F_GETFL).</param>
/// <param name="ListedIn">The /proc/net table whose line carries the socket's inode.</param>
/// <param name="Line">That line.</param>
/// <param name="Receives">What one receive call gave it in the experiment.</param>
public sealed record SocketTypeRow(string Call, int SoType, int SoProtocol, bool NonBlocking, string ListedIn, string Line, string Receives);

/// <summary>The seed's three types, and the flag it lists beside them.</summary>
/// <param name="Payload">The bytes of the UDP payload sent once over loopback, which both the UDP and the raw socket received.</param>
/// <param name="RawReceived">What recv() on the raw socket returned: the whole IPv4 packet.</param>
/// <param name="RawFirstByte">The packet's first byte: version 4, header length 5 words (0x45).</param>
/// <param name="NonBlockingAcceptMicroseconds">How long accept() on the SOCK_NONBLOCK listener took to say EAGAIN.</param>
public sealed record SocketTypesResult(IReadOnlyList<SocketTypeRow> Rows, int Payload, int RawReceived, int RawFirstByte, int RawProtocolByte,
    int NonBlockingAcceptErrno, double NonBlockingAcceptMicroseconds);

/// <summary>
/// socket()'s second argument, as the seed lists it — "TCP, UDP or RAW, and SOCK_NONBLOCK" — asked of the kernel:
/// SOCK_STREAM and SOCK_DGRAM with protocol 0 become TCP and UDP; SOCK_RAW with IPPROTO_UDP receives a copy of every
/// UDP packet with its IP header (raw_v4_input runs before UDP does); SOCK_NONBLOCK is a flag ORed into the type,
/// which __sys_socket takes off again (type &amp; SOCK_TYPE_MASK) and applies as O_NONBLOCK. A raw socket needs
/// CAP_NET_RAW, so the experiment runs in a network namespace of its own.
/// </summary>
internal static class SocketTypesExperiment
{
    public static readonly IsolatedExperiment<int, SocketTypesResult> SocketTypesRun = new(
        "socket-types", "05", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.RawSocket],
        _ => NetworkNamespace.Run((net, _) =>
        {
            NetworkNamespace.BringLoopbackUp();
            return Run(net);
        }, TimeSpan.FromSeconds(20)));

    private const int SoType = 3, SoProtocol = 38, SockStream = 1, SockNonBlock = 0x800, SockCloexec = 0x80000, AfInet = 2;

    private static SocketTypesResult Run(ProcNet net)
    {
        byte[] payload = "hi from the seed"u8.ToArray();

        // SOCK_STREAM: a connection over loopback, and the server reads what the client wrote.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.ReceiveTimeout = 2000;
        client.Send(payload);
        int streamRead = server.Receive(new byte[1024]);

        // SOCK_RAW with IPPROTO_UDP, opened before the datagram is sent, and SOCK_DGRAM receiving it.
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 2000 };
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int receiverPort = receiver.LocalPort();
        using (var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Unspecified))
        {
            sender.SendTo(payload, receiver.LocalEndPoint!);
        }
        int datagramRead = receiver.Receive(new byte[1024]);
        var packet = new byte[2048];
        int rawRead;
        var deadline = Stopwatch.StartNew();
        do
        {
            // Only this namespace's loopback carries UDP here, but read until the packet for our port all the same.
            rawRead = raw.Receive(packet);
        }
        while (!(rawRead >= 28 && BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(22)) == receiverPort) && deadline.Elapsed < TimeSpan.FromSeconds(1));

        // SOCK_STREAM | SOCK_NONBLOCK, with libc: the flag must reach socket() itself, not a later fcntl.
        int fd = LibC.Socket(AfInet, SockStream | SockNonBlock | SockCloexec, 0);
        if (fd < 0)
        {
            throw new InvalidOperationException($"socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0): {Errno.Describe(Marshal.GetLastPInvokeError())}");
        }
        // Asked before .NET wraps the descriptor, so nothing but socket() can have set O_NONBLOCK.
        bool oNonBlock = (LibC.Fcntl(fd, LibC.FGetFl) & LibC.ONonBlock) != 0;
        int type = Option(fd, SoType), protocol = Option(fd, SoProtocol);
        using var nonBlocking = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        nonBlocking.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        nonBlocking.Listen(1);
        LibC.Accept(-1, 0, 0); // EBADF: binds the P/Invoke stub, so the call timed below is the kernel's answer alone
        var clock = Stopwatch.StartNew();
        int accepted = LibC.Accept(fd, 0, 0);
        int acceptErrno = accepted < 0 ? Marshal.GetLastPInvokeError() : 0;
        double acceptMicroseconds = Math.Round(clock.Elapsed.TotalMicroseconds, 1);
        if (accepted >= 0)
        {
            LibC.Close(accepted);
        }

        string Where(ulong inode, out string line)
        {
            foreach (var (file, text) in new[] { ("tcp", net.Read("tcp")), ("udp", net.Read("udp")), ("raw", net.Read("raw")) })
            {
                // /proc/net/raw has /proc/net/udp's columns (raw_sock_seq_show): the inode is the tenth.
                foreach (var l in text.Split('\n').Skip(1))
                {
                    var columns = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (columns.Length > 9 && columns[9] == inode.ToString())
                    {
                        line = l.Trim();
                        return $"/proc/net/{file}";
                    }
                }
            }
            line = "";
            return "none";
        }
        SocketTypeRow Row(string call, Socket s, string receives)
        {
            int handle = (int)s.SafeHandle.DangerousGetHandle();
            string listed = Where(Sockets.Descriptor.InodeOf(s), out string line);
            return new SocketTypeRow(call, Option(handle, SoType), Option(handle, SoProtocol), (LibC.Fcntl(handle, LibC.FGetFl) & LibC.ONonBlock) != 0, listed, line, receives);
        }

        SocketTypeRow[] rows =
        [
            Row("socket(AF_INET, SOCK_STREAM, 0)", server, $"read() = {streamRead}: bytes of a stream"),
            Row("socket(AF_INET, SOCK_DGRAM, 0)", receiver, $"recvfrom() = {datagramRead}: one datagram's payload"),
            Row("socket(AF_INET, SOCK_RAW, IPPROTO_UDP)", raw, $"recv() = {rawRead}: the whole IPv4 packet, headers included"),
            Row("socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)", nonBlocking,
                accepted < 0 ? $"accept() = -1 {Errno.Describe(acceptErrno)} after {acceptMicroseconds} µs" : "accept() returned a connection")
                with { SoType = type, SoProtocol = protocol, NonBlocking = oNonBlock },
        ];
        return new SocketTypesResult(rows, payload.Length, rawRead, packet[0], packet[9], acceptErrno, acceptMicroseconds);
    }

    private static int Option(int fd, int name)
    {
        int length = sizeof(int);
        return LibC.GetSockOpt(fd, Native.SocketOptions.SolSocket, name, out int value, ref length) == 0
            ? value
            : throw new InvalidOperationException($"getsockopt({fd}, SOL_SOCKET, {name}): {Errno.Describe(Marshal.GetLastPInvokeError())}");
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>
/// When accept() returns, set against when the handshake finished: the server-side line before the call,
/// the time from the client's connect() to the server's accept(), and how long accept() itself took.
/// </summary>
public sealed record AcceptTimingResult(
    double ConnectReturnedMs, string ServerLineBeforeAccept, ulong InodeBeforeAccept, ulong ListenRxQueueBeforeAccept,
    double AcceptCalledMs, double AcceptTookMicroseconds, ulong InodeAfterAccept);

internal static class AcceptTimingExperiment
{
    public static AcceptTimingResult Run(TimeSpan delay)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        int port = listener.LocalPort();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        var clock = Stopwatch.StartNew();
        client.Connect(listener.LocalEndPoint!);
        double connected = clock.Elapsed.TotalMilliseconds;
        int clientPort = client.LocalPort();

        var before = ProcNet.Self.Tcp();
        var serverEnd = before.Single(e => e.Local.Port == port && e.Remote.Port == clientPort);
        var listen = before.Single(e => e.State == KernelTcpState.Listen && e.Local.Port == port);
        Thread.Sleep(delay);

        double called = clock.Elapsed.TotalMilliseconds;
        var acceptClock = Stopwatch.StartNew();
        using var accepted = listener.Accept();
        double took = acceptClock.Elapsed.TotalMicroseconds;
        ulong inodeAfter = ProcNet.Self.Tcp().Single(e => e.Local.Port == port && e.Remote.Port == clientPort).Inode;
        return new AcceptTimingResult(connected, TcpStates.KernelName(serverEnd.State), serverEnd.Inode, listen.RxQueue, called, took, inodeAfter);
    }
}

using System.Net;
using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Tests.Sockets;

public class OwnedSocketsTests
{
    private static Socket Listener()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        return listener;
    }

    [LinuxFact]
    public void Cancelling_closes_every_socket_and_wakes_a_blocked_accept()
    {
        using var cancel = new CancellationTokenSource();
        using var owned = new OwnedSockets(cancel.Token);
        var listener = owned.Track(Listener());
        int tid = 0;
        var accepting = Task.Run(() =>
        {
            Volatile.Write(ref tid, NetIpc.Native.LibC.GetThreadId());
            return listener.Accept();
        });
        // Until that thread sleeps in the kernel's accept, cancelling would prove nothing about waking it.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref tid) is not 0 and var t
                && NetIpc.Proc.ProcessThreads.OfSelf().Any(e => e.Tid == t && e.WaitChannel == "inet_csk_accept"), TimeSpan.FromSeconds(10)),
            "accept() never blocked");

        cancel.Cancel();

        // Woken, accept() fails on the closed socket; had it stayed blocked, Wait would return false and not throw.
        Assert.ThrowsAny<Exception>(() => accepting.Wait(TimeSpan.FromSeconds(5)));
        Assert.Throws<ObjectDisposedException>(() => listener.LocalEndPoint);
    }

    [LinuxFact]
    public void A_socket_tracked_after_cancellation_is_closed_at_once()
    {
        using var cancel = new CancellationTokenSource();
        using var owned = new OwnedSockets(cancel.Token);
        cancel.Cancel();
        var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        Assert.Throws<ObjectDisposedException>(() => owned.Track(late));
        Assert.Throws<ObjectDisposedException>(() => late.LocalEndPoint);
    }

    [LinuxFact]
    public void Dispose_closes_with_a_fin_by_default_and_with_a_reset_when_abortive()
    {
        foreach (bool abortive in new[] { false, true })
        {
            using var listener = Listener();
            using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var owned = new OwnedSockets(CancellationToken.None, abortive);
            owned.Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).Connect(listener.LocalEndPoint!);
            using var accepted = listener.Accept();
            accepted.ReceiveTimeout = 5000;

            owned.Dispose();

            if (abortive)
            {
                var reset = Assert.Throws<SocketException>(() => accepted.Receive(new byte[1]));
                Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
            }
            else
            {
                Assert.Equal(0, accepted.Receive(new byte[1])); // end of file: a FIN
            }
        }
    }
}

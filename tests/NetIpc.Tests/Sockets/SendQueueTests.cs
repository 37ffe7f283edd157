using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tests.Sockets;

public class SendQueueTests
{
    [LinuxFact]
    public void The_two_ioctls_split_tx_queue_into_sent_and_never_sent_and_agree_with_proc()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sender.Connect(listener.LocalEndPoint!);
        using var reader = listener.Accept(); // never reads
        sender.Blocking = false;
        try
        {
            while (true)
            {
                sender.Send(new byte[16384]);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            // the send buffer is full
        }
        int port = sender.LocalPort();
        // Settled once two looks agree (the window closes within tens of milliseconds).
        SendQueue before, after = SendQueue.Of(sender);
        TcpSocketEntry line;
        do
        {
            before = after;
            Thread.Sleep(100);
            line = ProcNet.Self.Tcp().Single(e => e.Local.Port == port);
            after = SendQueue.Of(sender);
        }
        while (before != after);
        Assert.True(after.NotSent > 0 && after.NotSent <= after.Unacknowledged, after.ToString());
        Assert.Equal(after.Unacknowledged, (long)line.TxQueue);
    }
}

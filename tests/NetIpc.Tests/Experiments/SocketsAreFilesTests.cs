using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Proc;
using NetIpc.SocketTables;

namespace NetIpc.Tests.Experiments;

public class SocketsAreFilesTests
{
    [LinuxFact]
    public void Connection_waits_with_inode_0_until_accept_gives_it_a_descriptor()
    {
        using var demo = SocketsAreFiles.Start(preferredPort: 0);
        Assert.False(demo.IsRecorded);
        Assert.NotEqual(NetIpc.Sockets.SeedPort.Number, demo.Port); // 9501 is left to the chapter tests running alongside
        Assert.Equal($"socket:[{Assert.Single(demo.Lines()).Inode}]", demo.ListenerLink);

        int clientFd = demo.Connect();
        var lines = demo.Lines();
        Assert.Equal(1UL, lines.Single(l => l.State == KernelTcpState.Listen).RxQueue);
        Assert.Single(lines, l => l.State == KernelTcpState.Established && l.Inode == 0);
        Assert.Equal(2, demo.DescriptorRows().Count);

        int connectionFd = demo.Accept();
        Assert.NotEqual(clientFd, connectionFd);
        Assert.DoesNotContain(demo.Lines(), l => l.Inode == 0);
        Assert.Equal(3, demo.DescriptorRows().Count);

        demo.ClientSends("hello from telnet\r\n");
        Assert.Equal(19UL, demo.Lines().Single(l => l.Local.Port == demo.Port && l.State == KernelTcpState.Established).RxQueue);
    }

    /// <summary>
    /// TCPAbortOnClose counts for a whole network namespace: in this process's, any test closing a connection with
    /// unread bytes alongside would move it too. In a namespace of its own only this demo can.
    /// </summary>
    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp)]
    public void Closing_with_unread_bytes_aborts_and_leaves_nothing_behind()
    {
        var (counters, left) = NetworkNamespace.Run((_, cancel) =>
        {
            NetworkNamespace.BringLoopbackUp();
            var demo = SocketsAreFiles.Start(preferredPort: 0);
            using var closeOnCancel = cancel.Register(demo.Dispose);
            demo.Connect();
            demo.Accept();
            demo.ClientSends("x");
            return (demo.CloseAll(), demo.Lines());
        }, TimeSpan.FromSeconds(30));
        Assert.Equal(new CounterChange("TcpExt.TCPAbortOnClose", 1), counters[0]);
        Assert.Empty(left);
    }

    [Fact]
    public void Recording_replays_the_end_state_and_says_it_is_recorded()
    {
        using var demo = SocketsAreFiles.Recorded();
        Assert.True(demo.IsRecorded);
        Assert.StartsWith("RECORDED", demo.Source);
        Assert.Equal(3, demo.ListenerFd);
        Assert.Equal("socket:[7617]", demo.ListenerLink);
        Assert.Equal(4, demo.Connect());
        Assert.Equal(5, demo.Accept());
        Assert.Equal(4, demo.DescriptorRows().Count);
        Assert.Contains("nobody yet: waiting in the accept queue", demo.TableRows().Select(r => r.OwnedBy));
    }
}

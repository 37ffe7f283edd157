using NetIpc.Native;
using NetIpc.Proc;
using NetIpc.Sockets;
using NetIpc.Unix;
using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

public class UnixSocketsTests
{
    [LinuxFact]
    public void Every_kind_of_unix_socket_is_in_the_table_with_its_name()
    {
        string streamPath;
        using (var demo = UnixSockets.Start())
        {
            streamPath = demo.StreamPath;
            var views = demo.Views();
            Assert.All(views.Where(v => v.Role.StartsWith("socketpair")), v => Assert.Null(v.Entry.Path));
            Assert.Equal(demo.StreamPath, views.Single(v => v.Role == "stream server (listening)").Entry.Path);
            Assert.True(views.Single(v => v.Role == "stream server (listening)").Entry.IsListening);
            Assert.Equal(demo.StreamPath, views.Single(v => v.Role == "stream server (accepted)").Entry.Path);
            Assert.Null(views.Single(v => v.Role == "stream client").Entry.Path);
            var hidden = views.Single(v => v.Role == "abstract listener").Entry;
            Assert.True(hidden.IsAbstract);
            Assert.Equal("@" + demo.AbstractName[1..].Replace('\0', '@'), hidden.Path);
            Assert.Equal(UnixSocketType.Dgram, views.Single(v => v.Role == "datagram server").Entry.Type);
            Assert.Equal("pong", demo.DatagramReply);
            Assert.Equal(demo.DatagramClientPath, demo.DatagramSenderSeenByServer);
            Assert.StartsWith("/tmp/netipc-", demo.StreamPath);
        }
        Assert.False(File.Exists(streamPath));
    }

    [Fact]
    public void A_socketpair_is_two_connected_sockets()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            a.Send("hi"u8);
            var buffer = new byte[8];
            Assert.Equal(2, b.Receive(buffer));
        }
    }

    [LinuxFact]
    public void A_closed_servers_file_stays_until_unlinked()
    {
        var stale = UnixSockets.StaleFile();
        Assert.True(stale.FileExistsWhileBound);
        Assert.False(stale.FileExistsAfterDotnetDispose);
        Assert.True(stale.FileExistsAfterCClose);
        Assert.Equal("bind() = -1 EADDRINUSE (98)", stale.BindAgain);
        Assert.Equal("bind() = 0", stale.BindAfterUnlink);
    }

    [LinuxFact]
    public void The_c_servers_descriptor_is_its_own_close_on_exec_and_closing_it_leaves_the_file()
    {
        using var files = new SocketFiles();
        string path = files["c server.sock"];
        int fd = StaleSocketFileExperiment.ListenAsC(path);
        try
        {
            Assert.StartsWith("socket:[", ProcessFds.TargetOf(fd));
            // flags in /proc/self/fdinfo are octal; O_CLOEXEC is 02000000
            string flags = File.ReadLines($"/proc/self/fdinfo/{fd}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal))["flags:".Length..].Trim();
            Assert.NotEqual(0, Convert.ToInt32(flags, 8) & 0x80000);
            Assert.True(File.Exists(path));
        }
        finally
        {
            StaleSocketFileExperiment.CloseAsC(fd);
        }
        Assert.True(File.Exists(path), "close(2) does not unlink what bind(2) created");
    }

    [LinuxFact]
    public void A_failing_close_throws_with_its_errno()
    {
        // -1 is never a descriptor: a closed but real number might meanwhile belong to a test running alongside.
        var error = Assert.Throws<IOException>(() => StaleSocketFileExperiment.CloseAsC(-1));
        Assert.Equal("close(-1) failed: EBADF (9)", error.Message);
    }

    [LinuxFact]
    public void A_c_server_that_cannot_bind_says_why()
    {
        using var files = new SocketFiles();
        string path = files["taken.sock"];
        File.WriteAllText(path, "");
        var error = Assert.Throws<IOException>(() => StaleSocketFileExperiment.ListenAsC(path));
        Assert.Contains("EADDRINUSE (98)", error.Message);
        Assert.Contains(path, error.Message);
    }

    [LinuxFact]
    public void Unix_datagrams_are_never_dropped_and_arrive_in_order_where_udp_drops()
    {
        var result = UnixDatagramReliability(400);
        Assert.Equal(400, result.UnixReceived);
        Assert.True(result.UnixInOrder);
        Assert.True(result.UnixSentBeforeEagain < 400, "the sender was made to wait");
        Assert.True(result.UdpDrops > 0);
        Assert.Equal(400 - result.UdpReceived, result.UdpDrops);
    }

    [LinuxFact]
    public void Connect_needs_write_permission_on_a_socket_file_and_nothing_on_an_abstract_name()
    {
        var r = UnixSockets.Permissions();

        // The truth from elsewhere: the umask and the effective capabilities as /proc/self/status reports them.
        var status = File.ReadLines("/proc/self/status").Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
        int umask = Convert.ToInt32(status["Umask"], 8);
        bool dacOverride = (Convert.ToUInt64(status["CapEff"], 16) & 0b10) != 0;
        Assert.Equal(Errno.EACCES, r.Cases[1].Errno);
        Assert.DoesNotContain('w', r.Cases[1].Mode);
        Assert.Equal((umask & 0x80) == 0 /* 0200, the owner's write bit */ ? 0 : Errno.EACCES, r.Cases[0].Errno);
        Assert.Equal(0, r.Cases[2].Errno);
        Assert.StartsWith("@netipc-", r.Cases[2].Address);
        Assert.Equal(dacOverride ? 0 : Errno.EACCES, r.Cases[3].Errno);
        Assert.Equal(dacOverride, r.DacOverride);
        uint effectiveUid = uint.Parse(status["Uid"].Split('\t')[1]); // real, effective, saved, filesystem
        Assert.Equal(effectiveUid, r.AbstractPeerUid);
        Assert.False(File.Exists(r.Cases[0].Address), "the socket file was left behind");
    }
}

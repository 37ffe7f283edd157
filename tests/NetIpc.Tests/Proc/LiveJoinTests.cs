using System.Net;
using System.Net.Sockets;
using NetIpc.Commands;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tests.Proc;

/// <summary>The readers and the process join against sockets this test opens itself.</summary>
public sealed class LiveJoinTests : IDisposable
{
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> opened = [];

    public LiveJoinTests()
    {
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
    }

    private int Port => listener.LocalPort();

    private Socket Connect()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(new IPEndPoint(IPAddress.Loopback, Port));
        opened.Add(client);
        return client;
    }

    private static int Fd(Socket s) => (int)s.SafeHandle.DangerousGetHandle();

    private static ulong InodeOf(Socket s) => new FileDescriptor(Fd(s), ProcessFds.TargetOf(Fd(s))).SocketInode
        ?? throw new InvalidOperationException("not a socket");

    private static T Eventually<T>(Func<T> read, Func<T, bool> done)
    {
        // The kernel finishes a loopback handshake in microseconds, but on its own time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        T value = read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
            value = read();
        }
        return value;
    }

    [LinuxFact]
    public void Descriptor_points_at_the_inode_the_tcp_table_lists_for_the_listener()
    {
        string target = ProcessFds.TargetOf(Fd(listener));
        Assert.Matches(@"^socket:\[\d+\]$", target);
        var line = Assert.Single(ProcNet.Self.Tcp(), e => e.Local.Port == Port && e.State == KernelTcpState.Listen);
        Assert.Equal(InodeOf(listener), line.Inode);
        Assert.Contains(ProcessFds.OfSelf(), f => f.Fd == Fd(listener) && f.SocketInode == line.Inode);
    }

    [LinuxFact]
    public void Unaccepted_connection_sits_in_the_accept_queue_with_inode_0_until_accept()
    {
        Connect();
        var waiting = Eventually(() => ProcNet.Self.Tcp().Where(e => e.Local.Port == Port).ToList(),
            lines => lines.Any(e => e.State == KernelTcpState.Listen && e.RxQueue == 1));
        Assert.Contains(waiting, e => e.State == KernelTcpState.Listen && e.RxQueue == 1);
        Assert.Contains(waiting, e => e.State == KernelTcpState.Established && e.Inode == 0);

        var accepted = listener.Accept();
        opened.Add(accepted);
        var after = ProcNet.Self.Tcp().Where(e => e.Local.Port == Port).ToList();
        Assert.Contains(after, e => e.State == KernelTcpState.Listen && e.RxQueue == 0);
        Assert.Contains(after, e => e.State == KernelTcpState.Established && e.Inode == InodeOf(accepted));
    }

    [LinuxFact]
    public void Socket_table_names_this_process_and_the_fd_of_each_end()
    {
        var client = Connect();
        var server = listener.Accept();
        opened.Add(server);
        int pid = Environment.ProcessId;
        var mine = SocketTable.Tcp().OwnedBy(pid);
        foreach (var socket in new[] { listener, client, server })
        {
            var row = Assert.Single(mine, r => r.Inode == InodeOf(socket));
            var owner = Assert.Single(row.Owners);
            Assert.Equal((pid, Fd(socket)), (owner.Pid, owner.Fd));
            Assert.Equal(File.ReadAllText("/proc/self/comm").TrimEnd('\n'), owner.Command);
        }
        Assert.Equal("LISTEN", Assert.Single(mine, r => r.Inode == InodeOf(listener)).State);
    }

    [LinuxFact]
    public void Unread_bytes_show_as_rx_queue_of_the_receiver()
    {
        var client = Connect();
        var server = listener.Accept();
        opened.Add(server);
        client.Send(new byte[19]);
        var line = Eventually(() => ProcNet.Self.Tcp().Single(e => e.Inode == InodeOf(server)), e => e.RxQueue == 19);
        Assert.Equal(19UL, line.RxQueue);
    }

    [LinuxFact]
    public void Unix_socket_bound_to_a_path_with_a_space_is_listed_with_it()
    {
        string folder = Directory.CreateTempSubdirectory("netipc-test-").FullName;
        try
        {
            string path = Path.Combine(folder, "with space.sock");
            using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            unix.Bind(new UnixDomainSocketEndPoint(path));
            unix.Listen(1);
            var entry = Assert.Single(ProcNet.Self.Unix(), e => e.Inode == InodeOf(unix));
            Assert.Equal(path, entry.Path);
            Assert.True(entry.IsListening);
            var row = Assert.Single(SocketTable.Unix().OwnedBy(Environment.ProcessId), r => r.Inode == entry.Inode);
            Assert.Equal(("u_str", "LISTEN"), (row.Netid, row.State));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [LinuxFact]
    public void Table_of_another_process_in_the_namespace_is_the_same_table()
    {
        // Tables are per network namespace: a process that owns no socket at all (sleep) lists this test's listener too.
        var ours = ProcNet.Self.Tcp().Select(e => e.Inode).Where(i => i == InodeOf(listener));
        Assert.Single(ours);
        using var sleep = System.Diagnostics.Process.Start("sleep", "10");
        try
        {
            Assert.NotEqual(Environment.ProcessId, sleep.Id);
            Assert.Contains(ProcNet.OfProcess(sleep.Id).Tcp(), e => e.Inode == InodeOf(listener));
        }
        finally
        {
            sleep.Kill();
            sleep.WaitForExit();
        }
    }

    [LinuxFact]
    public void Proc_and_ss_agree_on_every_socket_that_did_not_change_meanwhile()
    {
        var client = Connect();
        opened.Add(listener.Accept());
        var comparison = SsComparison.RunTcp();
        if (comparison is null)
        {
            Assert.Fail("ss is not installed; iproute2 is part of every Debian system");
        }
        Assert.True(comparison.Agrees, string.Join("\n", comparison.Disagreements));
        Assert.Contains(comparison.Rows, r => r.FromProc && r.FromSs && r.Local.EndsWith($":{Port}") && r.State == "LISTEN");
        Assert.NotNull(client);
    }

    public void Dispose()
    {
        foreach (var s in opened) s.Dispose();
        listener.Dispose();
    }
}

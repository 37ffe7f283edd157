using NetIpc.Proc;
using NetIpc.Servers;
using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

/// <summary>
/// Chapter 14's experiments: behaviour only — who accepted what, that both servers echo, that nothing is left
/// open. Not their speed. In the cleanup collection, which runs alone, so the process's descriptor and thread
/// counts move only with what these experiments do.
/// </summary>
[Collection(nameof(CleanupTests))]
public class ManyClientsTests
{
    private static int SocketDescriptors() => ProcessFds.OfSelf().Count(f => f.SocketInode is not null);

    private static int ServerThreads() => ProcessThreads.OfSelf().Count(t => t.Name == ManyClientsResult.ServerThreadName);

    [LinuxFact]
    public void Accepted_sockets_share_the_listeners_port_with_inodes_and_descriptors_of_their_own()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int before = SocketDescriptors();
        var r = SharedPort(clients: 5);
        Assert.Equal(before, SocketDescriptors());

        Assert.Equal(5, r.Accepted.Count);
        var server = r.ServerRows;
        Assert.Equal(6, server.Count);
        Assert.Equal("LISTEN", server[0].State);
        Assert.Equal(r.ListenerInode, server[0].Inode);
        Assert.All(server, row => Assert.EndsWith($":{r.Port}", row.Local));
        Assert.All(r.Accepted, a =>
        {
            var row = r.RowOf(a);
            Assert.NotNull(row);
            Assert.Equal("ESTAB", row.State);
            Assert.EndsWith($":{r.Port}", row.Local);
            Assert.EndsWith($":{a.ClientPort}", row.Remote);
            Assert.Contains(row.Owners, o => o.Pid == Environment.ProcessId && o.Fd == a.Fd);
        });
        Assert.Equal(6, r.Accepted.Select(a => a.Inode).Append(r.ListenerInode).Distinct().Count());
        Assert.Equal(6, r.Accepted.Select(a => a.Fd).Append(r.ListenerFd).Distinct().Count());
        Assert.Equal(5, r.ClientRows.Count);
        Assert.All(r.ClientRows, row => Assert.EndsWith($":{r.Port}", row.Remote));
    }

    [LinuxFact]
    public void Both_servers_echo_every_message_and_close_everything_they_opened()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var descriptorsBefore = ProcessFds.OfSelf().Where(f => f.SocketInode is not null).Select(f => f.Target).ToHashSet();
        var r = ManyClients([1, 7], runs: 2);

        Assert.Equal(2, r.RunsPerPoint);
        Assert.Equal(4, r.Points.Count);
        Assert.Equal([1, 7], r.ClientCounts);
        foreach (var p in r.Points)
        {
            Assert.Equal(0, p.EchoErrors);
            Assert.All(p.Runs, run =>
            {
                Assert.Equal(p.Clients * ManyClientsExperiment.RoundTripsPerClient(p.Clients), run.RoundTrips);
                Assert.True(run.MedianMicroseconds > 0 && run.P99Microseconds >= run.MedianMicroseconds, run.ToString());
                Assert.Equal(2 * p.Clients + 1, run.SocketDescriptorsAtPeak - run.SocketDescriptorsBefore);
                Assert.Equal(run.SocketDescriptorsBefore, run.SocketDescriptorsAfter);
                Assert.Equal(0, run.TimeWaitLeft);
                Assert.Equal(p.Clients, run.ClientSocketsInEpoll);
                if (p.Design == ServerDesign.ThreadPerClient)
                {
                    Assert.Equal(p.Clients, run.ServerThreadsAtPeak);
                    Assert.Equal(p.Clients, run.ThreadWaitsAtPeak.Where(w => w.Name == ManyClientsResult.ServerThreadName).Sum(w => w.Count));
                    Assert.Equal(0, run.ServerSocketsInEpoll);
                }
                else
                {
                    Assert.Equal(0, run.ServerThreadsAtPeak);
                    Assert.Equal(p.Clients, run.ServerSocketsInEpoll);
                    Assert.All(run.ServerSocketEpollEvents, e => Assert.True(new EpollTarget(0, e).EdgeTriggered, $"0x{e:x}"));
                    Assert.True(run.SocketEngineThreads >= 1);
                }
            });
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(descriptorsBefore, ProcessFds.OfSelf().Where(f => f.SocketInode is not null).Select(f => f.Target).ToHashSet());
        Assert.Equal(0, ServerThreads());
    }

    [Fact]
    public void Clients_beyond_the_descriptor_limit_are_left_out_and_the_sentence_says_why()
    {
        var (enough, said) = ManyClientsExperiment.Fit(soft: 20_000, openNow: 60, requested: 1000);
        Assert.Equal(1000, enough);
        Assert.EndsWith("enough.", said);
        var (top, why) = ManyClientsExperiment.Fit(soft: 1024, openNow: 60, requested: 1000);
        Assert.Equal((1024 - 60 - 16) / 2, top);
        Assert.Contains("so the largest run has 474 clients", why);
        Assert.Equal(1000, ManyClientsExperiment.Fit(soft: null, openNow: 60, requested: 1000).Top);
    }

    [Fact]
    public void Nonsense_arguments_are_refused_naming_the_argument()
    {
        Assert.Equal("clients", Assert.Throws<ArgumentOutOfRangeException>(() => ManyClients([])).ParamName);
        Assert.Equal("clients", Assert.Throws<ArgumentOutOfRangeException>(() => ManyClients([0, 10])).ParamName);
        Assert.Equal("runs", Assert.Throws<ArgumentOutOfRangeException>(() => ManyClients([1], runs: 0)).ParamName);
        Assert.Equal("messageSize", Assert.Throws<ArgumentOutOfRangeException>(() => ManyClients([1], messageSize: 4)).ParamName);
        Assert.Equal("clients", Assert.Throws<ArgumentOutOfRangeException>(() => SharedPort(0)).ParamName);
    }

    [Fact]
    public void The_recording_holds_both_designs_at_every_size()
    {
        var r = Recordings.Load<ManyClientsResult>("experiments/many-clients.json").Result;
        Assert.Equal(r.ClientCounts.Count * 2, r.Points.Count);
        Assert.All(r.ClientCounts, n =>
        {
            Assert.NotNull(r.At(ServerDesign.ThreadPerClient, n));
            Assert.NotNull(r.At(ServerDesign.EventLoop, n));
        });
        Assert.Equal(r.TopClients, r.ClientCounts[^1]);
        var shared = Recordings.Load<SharedPortResult>("experiments/shared-port.json").Result;
        Assert.Equal(shared.Accepted.Count + 1, shared.ServerRows.Count);
    }
}

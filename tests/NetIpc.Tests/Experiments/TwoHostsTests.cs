using NetIpc.Hosts;
using NetIpc.Isolation;
using NetIpc.Proc;
using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

public class TwoHostsTests
{
    [ExperimentFact("two-hosts")]
    public void Two_namespaces_joined_by_a_veth_pair_talk_and_each_sees_only_its_own_sockets()
    {
        var result = TwoHosts(roundTrips: 20); // throws, naming the claim, when the kernel disagrees
        Assert.Equal(6, result.Checks.Count);
        Assert.Contains("both threads ended; 0 of the", result.Checks[^1].Evidence); // the namespaces were left when it returned
        Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", result.Client.LinkAddress);
        Assert.NotEqual(result.Client.LinkAddress, result.Server.LinkAddress);
        Assert.True(result.MedianRoundTripMicroseconds > 0);
    }

    [LinuxFact]
    public void A_namespace_a_thread_still_holds_fails_the_check()
    {
        // This test's own thread and namespace: running, and inside it.
        int self = NetIpc.Native.LibC.GetThreadId();
        string ns = new FileInfo($"/proc/self/task/{self}/ns/net").LinkTarget!;
        var check = TwoHostsExperiment.NamespacesLeft([(ns, self)]);
        Assert.False(check.Holds);
        Assert.Contains($"thread {self} still running", check.Evidence);
    }

    [Fact]
    public void Arp_table_reads_the_kernels_format()
    {
        var table = ArpTable.Parse("IP address       HW type     Flags       HW address            Mask     Device\n10.12.0.2        0x1         0x2         9a:3f:00:11:22:33     *        veth-client\n");
        var entry = Assert.Single(table);
        Assert.Equal(("10.12.0.2", 1, true, "9a:3f:00:11:22:33", "veth-client"), (entry.Address.ToString(), entry.HardwareType, entry.IsComplete, entry.HardwareAddress, entry.Device));
        var error = Assert.Throws<ProcFormatException>(() => ArpTable.Parse("IP address HW type Flags HW address Mask Device\n10.12.0.2 1 0x2 x * eth0\n"));
        Assert.Equal((2, "HW type"), (error.Line, error.Field));
    }
}

/// <summary>
/// A peer that never answers: a blackhole route in the server's namespace swallows everything it sends to the
/// client. Alone, because they count this process's sockets and namespace threads.
/// </summary>
[Collection(nameof(CleanupTests))]
public class TwoHostsBoundsTests
{
    private static readonly TwoHostsBounds Short = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    // A fresh veth may drop the first ARP request until the kernel activates it (it does so at most once a second),
    // so a handshake that must succeed gets the default's room.
    private static readonly TwoHostsBounds ShortReceive = Short with { Connect = TwoHostsBounds.Default.Connect };

    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair)]
    public void A_handshake_nobody_answers_ends_in_a_timeout_naming_the_connect()
    {
        var (error, waited) = FailWhenServerGoesSilent(TwoHostsStep.Cabled, Short);
        Assert.Contains("connect to 10.12.0.2", error.Message);
        Assert.InRange(waited, Short.Connect - TimeSpan.FromMilliseconds(50), Short.Connect + TimeSpan.FromSeconds(2));
    }

    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair)]
    public void A_reply_that_never_comes_ends_in_a_timeout_naming_the_receive()
    {
        var (error, waited) = FailWhenServerGoesSilent(TwoHostsStep.Connected, ShortReceive);
        Assert.Contains("the client host waiting for the server's reply", error.Message);
        Assert.InRange(waited, ShortReceive.Receive - TimeSpan.FromMilliseconds(50), ShortReceive.Receive + TimeSpan.FromSeconds(2));
    }

    private static (TimeoutException Error, TimeSpan Waited) FailWhenServerGoesSilent(TwoHostsStep when, TwoHostsBounds bounds)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int sockets = ProcessFds.OfSelf().Count(f => f.SocketInode is not null);
        var threads = new List<int>();
        var clock = new System.Diagnostics.Stopwatch();
        var run = Task.Run(() => TwoHostsExperiment.ConnectAcrossTheCable(3, bounds, (step, client, server) =>
        {
            threads.AddRange([client.ThreadId, server.ThreadId]);
            if (step == when)
            {
                server.Ip("route add blackhole 10.12.0.1/32");
                clock.Start();
            }
        }));
        // Without bounds the handshake would be retried for two minutes and the reply awaited for ever.
        Assert.True(((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "the experiment did not give up within 20 s");
        var error = Assert.IsType<TimeoutException>(run.Exception?.InnerException);
        var waited = clock.Elapsed;

        Assert.Equal(sockets, ProcessFds.OfSelf().Count(f => f.SocketInode is not null));
        Assert.Equal(2, threads.Distinct().Count());
        // The namespaces live as long as their threads (and the sockets in them, closed above).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (threads.Any(t => Directory.Exists($"/proc/self/task/{t}")))
        {
            Assert.True(DateTime.UtcNow < deadline, "a namespace thread outlived the failed experiment");
            Thread.Sleep(10);
        }
        return (error, waited);
    }
}

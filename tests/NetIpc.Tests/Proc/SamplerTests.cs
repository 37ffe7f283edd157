using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tests.Proc;

public class SamplerTests
{
    [LinuxFact]
    public void Accept_queue_probe_sees_each_client_the_listener_never_accepts()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        int port = listener.LocalPort();
        var clients = new List<Socket>();
        using (var sampler = Sampler.Start(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(10),
                   [Probe.AcceptQueue(port), Probe.TcpStateCount(KernelTcpState.Established, port)]))
        {
            sampler.SampleNow(); // a sample before anyone connects, whenever the sampler's thread gets to run
            for (int i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                client.Connect(listener.LocalEndPoint!);
                clients.Add(client);
            }
            // connect() can return before the server has handled the final ACK: wait for the kernel, then sample.
            var queued = Probe.AcceptQueue(port);
            Assert.True(SpinWait.SpinUntil(() => queued.Read(new ProcSnapshot(ProcNet.Self)) == 3, TimeSpan.FromSeconds(10)));
            sampler.SampleNow();
            var series = sampler.Stop();
            var queue = series[$"accept queue :{port}"].Cast<double>().ToList();
            Assert.Equal(0, queue[0]);
            Assert.Equal(3, queue[^1]);
            Assert.Equal(queue.Order(), queue); // never shrinks: nobody accepts
            Assert.Equal(6, series[$"Established :{port}"].Cast<double>().Last()); // both ends of each connection
            var times = series["time_ms"].Cast<double>().ToList();
            Assert.Equal(times.Order(), times);
        }
        clients.ForEach(c => c.Dispose());
    }

    [LinuxFact]
    public void Sampling_ends_by_itself_at_the_limit()
    {
        var series = Sampler.Run(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(1000), Probe.TcpStateCount(KernelTcpState.Listen));
        var times = series["time_ms"].Cast<double>().ToList();
        Assert.InRange(times.Count, 2, 51); // one at once, then one per 20 ms up to the limit: no more
        // A sample starts only before the limit; its time is read a moment later, so a thread preempted in
        // between may stamp it a little past it.
        Assert.True(times.SkipLast(1).All(t => t <= 1000) && times[^1] <= 1000 + 500, $"samples at {string.Join(", ", times)} ms");
    }

    [Fact]
    public void Probes_read_recorded_tables_too()
    {
        var (queue9501, read) = Signalling(Probe.AcceptQueue(9501));
        using var sampler = Sampler.Start(TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1),
            [queue9501, Probe.UdpDrops(9514)], Recordings.Proc("seed-server"));
        Assert.True(read.Wait(TimeSpan.FromSeconds(10)), "the sampler's thread never read the recorded tables");
        var series = sampler.Stop();
        var queue = series["accept queue :9501"].Cast<double>().ToList();
        Assert.NotEmpty(queue);
        Assert.All(queue, v => Assert.Equal(1, v));
    }

    [Fact]
    public void A_probe_that_fails_is_reported_when_stopping()
    {
        var (missing, tried) = Signalling(Probe.Counter("TcpExt.NoSuchCounter"));
        using var sampler = Sampler.Start(TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), [missing], Recordings.Proc("seed-server"));
        Assert.True(tried.Wait(TimeSpan.FromSeconds(10)), "the sampler's thread never tried the probe");
        var error = Assert.Throws<InvalidOperationException>(() => sampler.Stop());
        Assert.Contains("TcpExt.NoSuchCounter", error.Message);
    }

    [LinuxFact]
    public void A_sample_taken_on_demand_lands_in_time_order_between_the_timed_ones()
    {
        var (listening, read) = Signalling(Probe.TcpStateCount(KernelTcpState.Listen));
        using var sampler = Sampler.Start(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), [listening]);
        // The first timed sample is taken as soon as the thread runs; the next would come a minute later.
        Assert.True(read.Wait(TimeSpan.FromSeconds(10)), "the sampler's thread never took its first sample");
        sampler.SampleNow();
        sampler.SampleNow();
        var series = sampler.Stop();
        Assert.Equal(3, series.Count);
        Assert.Equal(series[SampledSeries.Time].Order(), series[SampledSeries.Time]);
    }

    /// <summary>The probe, and a signal set once the sampler's thread has been into its read (whether it then returned or threw).</summary>
    private static (Probe Probe, ManualResetEventSlim Entered) Signalling(Probe probe)
    {
        var entered = new ManualResetEventSlim();
        return (probe with { Read = s => { entered.Set(); return probe.Read(s); } }, entered);
    }
}

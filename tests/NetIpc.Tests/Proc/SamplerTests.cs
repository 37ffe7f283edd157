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
            Thread.Sleep(30); // let the sampler take its first samples before anyone connects
            for (int i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                client.Connect(listener.LocalEndPoint!);
                clients.Add(client);
                Thread.Sleep(50);
            }
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
        var series = Sampler.Run(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), Probe.TcpStateCount(KernelTcpState.Listen));
        var times = series["time_ms"].Cast<double>().ToList();
        Assert.InRange(times.Count, 2, 11);
        Assert.True(times[^1] <= 200, $"last sample at {times[^1]} ms");
    }

    [Fact]
    public void Probes_read_recorded_tables_too()
    {
        using var sampler = Sampler.Start(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(30),
            [Probe.AcceptQueue(9501), Probe.UdpDrops(9514)], Recordings.Proc("seed-server"));
        Thread.Sleep(40);
        var series = sampler.Stop();
        var queue = series["accept queue :9501"].Cast<double>().ToList();
        Assert.NotEmpty(queue);
        Assert.All(queue, v => Assert.Equal(1, v));
    }

    [Fact]
    public void A_probe_that_fails_is_reported_when_stopping()
    {
        using var sampler = Sampler.Start(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1),
            [Probe.Counter("TcpExt.NoSuchCounter")], Recordings.Proc("seed-server"));
        Thread.Sleep(20);
        var error = Assert.Throws<InvalidOperationException>(() => sampler.Stop());
        Assert.Contains("TcpExt.NoSuchCounter", error.Message);
    }

    [LinuxFact]
    public void A_sample_taken_on_demand_lands_in_time_order_between_the_timed_ones()
    {
        using var sampler = Sampler.Start(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), [Probe.TcpStateCount(KernelTcpState.Listen)]);
        Thread.Sleep(50); // the first timed sample is taken at once; the next would come a minute later
        sampler.SampleNow();
        sampler.SampleNow();
        var series = sampler.Stop();
        Assert.Equal(3, series.Count);
        Assert.Equal(series[SampledSeries.Time].Order(), series[SampledSeries.Time]);
    }
}

using NetIpc.Harness;
using NetIpc.Notebooks.Charts;
using NetIpc.Notebooks.Exercises;
using NetIpc.Notebooks.Sentences;
using NetIpc.Notebooks.Tables;
using NetIpc.Servers;
using static NetIpc.Sockets.Sys;

namespace NetIpc.Notebooks.Tests;

/// <summary>Chapter 14's checks, tables, charts and exercise checker, on the recording and on the live kernel.</summary>
[Collection(SysDescriptors.Collection)]
public class ManyClientsNotebookTests
{
    private static ManyClientsResult Recorded => Recordings.Load<ManyClientsResult>("experiments/many-clients.json").Result;

    private static SharedPortResult RecordedPort => Recordings.Load<SharedPortResult>("experiments/shared-port.json").Result;

    /// <summary>The recording with every run of one point changed.</summary>
    private static ManyClientsResult WithRun(ManyClientsResult r, ServerDesign design, int clients, Func<ManyClientsRun, ManyClientsRun> change) =>
        r with
        {
            Points = [.. r.Points.Select(p => p.Design == design && p.Clients == clients ? p with { Runs = [.. p.Runs.Select(change)] } : p)],
        };

    [Fact]
    public void The_recorded_run_passes_every_check_of_the_chapter()
    {
        var r = Recorded;
        Assert.StartsWith("✓", Claims.AcceptMakesANewSocket(RecordedPort));
        Assert.StartsWith("✓", Claims.EveryReplyAndNoSocketLeft(r));
        Assert.StartsWith("✓", Claims.OneThreadPerClient(r));
        Assert.Contains("EPOLLET", Claims.AsyncSocketsUseEpoll(r));
        Assert.StartsWith("✓", Claims.WaitingGrowsWithClients(r));
        Assert.StartsWith("✓", Claims.ThreadsCostKernelStacks(r));
    }

    [Fact]
    public void Each_check_stops_the_chapter_when_the_run_disagrees()
    {
        var r = Recorded;
        int top = r.TopClients;
        Assert.Throws<ProofFailedException>(() => Claims.OneThreadPerClient(WithRun(r, ServerDesign.ThreadPerClient, top, x => x with { ServerThreadsAtPeak = top - 1 })));
        Assert.Throws<ProofFailedException>(() => Claims.OneThreadPerClient(WithRun(r, ServerDesign.EventLoop, top, x => x with { ThreadsAtPeak = x.ThreadsBefore + top })));
        Assert.Throws<ProofFailedException>(() => Claims.AsyncSocketsUseEpoll(WithRun(r, ServerDesign.ThreadPerClient, top, x => x with { ServerSocketsInEpoll = 1 })));
        Assert.Throws<ProofFailedException>(() => Claims.AsyncSocketsUseEpoll(WithRun(r, ServerDesign.EventLoop, top, x => x with { ServerSocketsInEpoll = top - 1 })));
        Assert.Throws<ProofFailedException>(() => Claims.AsyncSocketsUseEpoll(WithRun(r, ServerDesign.EventLoop, top, x => x with { ServerSocketEpollEvents = [0x1d] })));
        var leak = Assert.Throws<ProofFailedException>(() => Claims.EveryReplyAndNoSocketLeft(WithRun(r, ServerDesign.EventLoop, top, x => x with { SocketDescriptorsAfter = x.SocketDescriptorsBefore + 1 })));
        Assert.All(leak.Failed, c => Assert.Equal("each run closes every socket it opened", c.Claim));
        Assert.Throws<ProofFailedException>(() => Claims.EveryReplyAndNoSocketLeft(WithRun(r, ServerDesign.ThreadPerClient, 1, x => x with { EchoErrors = 1 })));
        Assert.Throws<ProofFailedException>(() => Claims.EveryReplyAndNoSocketLeft(WithRun(r, ServerDesign.ThreadPerClient, top, x => x with { TimeWaitLeft = 3 })));
        Assert.Throws<ProofFailedException>(() => Claims.AsyncSocketsUseEpoll(WithRun(r, ServerDesign.EventLoop, top,
            x => x with { ThreadWaitsAtPeak = [new ThreadWait(ManyClientsResult.SocketEngineThreadName, "futex_do_wait", 1)] })));
        Assert.Contains("wchan reads 0", Claims.AsyncSocketsUseEpoll(WithRun(r, ServerDesign.EventLoop, top,
            x => x with { ThreadWaitsAtPeak = [new ThreadWait(ManyClientsResult.SocketEngineThreadName, "0", 1)] })));
        var port = RecordedPort;
        Assert.Throws<ProofFailedException>(() => Claims.AcceptMakesANewSocket(port with { Accepted = [.. port.Accepted, port.Accepted[0]] }));
    }

    [Fact]
    public void The_table_and_charts_have_a_row_and_a_line_per_design()
    {
        var r = Recorded;
        var frame = r.ToDataFrame();
        Assert.Equal(r.Points.Count, frame.Rows.Count);
        Assert.Equal("p99 round trip µs", frame.Columns[5].Name);
        string latency = Plotly.NET.GenericChart.toChartHTML(r.LatencyChart());
        Assert.Contains("thread per client, 99th percentile", latency);
        Assert.Contains("log scale", latency);
        string memory = Plotly.NET.GenericChart.toChartHTML(r.MemoryChart());
        Assert.Contains("event loop (async, epoll): VmRSS", memory);
        var shorter = r.LatencyComparison();
        Assert.Equal(r.ClientCounts.Count, (int)shorter.Rows.Count);
        var (threads, loop) = (r.At(ServerDesign.ThreadPerClient, r.TopClients), r.At(ServerDesign.EventLoop, r.TopClients));
        Assert.Equal(threads.MedianMicroseconds <= loop.MedianMicroseconds ? "thread per client" : "event loop",
            shorter.Columns["shorter median round trip"][r.ClientCounts.Count - 1]);
        Assert.Equal(threads.P99Microseconds <= loop.P99Microseconds ? "thread per client" : "event loop",
            shorter.Columns["shorter p99"][r.ClientCounts.Count - 1]);
        Assert.Contains($"At {r.TopClients:N0} clients", r.MemoryComparison());
        Assert.Equal(RecordedPort.Accepted.Count + 1, RecordedPort.AcceptedFrame().Rows.Count);
    }

    [LinuxFact]
    public void Three_clients_at_once_need_a_thread_each()
    {
        Assert.Equal(Verdict.NotAnswered, SelfCheck.ConcurrentServer(_ => throw new NotImplementedException()).Verdict);
        var right = SelfCheck.ConcurrentServer(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            bind(fd, "127.0.0.1", port);
            listen(fd, 3);
            var threads = new List<Thread>();
            for (int i = 0; i < 3; i++)
            {
                int connection = accept(fd);
                var thread = new Thread(() =>
                {
                    var buffer = new byte[1024];
                    int n = read(connection, buffer);
                    if (n > 0) write(connection, buffer.AsSpan(0, n));
                    close(connection);
                });
                thread.Start();
                threads.Add(thread);
            }
            foreach (var thread in threads) thread.Join();
            close(fd);
        });
        Assert.True(right.Verdict == Verdict.Correct, right.ToString());
        Assert.Contains("3, 2, 1", right.Detail);

        int before = OpenDescriptors().Count;
        var oneAtATime = SelfCheck.ConcurrentServer(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            bind(fd, "127.0.0.1", port);
            listen(fd, 3);
            for (int i = 0; i < 3; i++)
            {
                int connection = accept(fd);
                var buffer = new byte[1024];
                int n = read(connection, buffer);
                if (n > 0) write(connection, buffer.AsSpan(0, n));
                close(connection);
            }
            close(fd);
        });
        Assert.Equal(Verdict.Wrong, oneAtATime.Verdict);
        Assert.Contains("1 accepted socket", oneAtATime.Detail);
        Assert.Equal(before, OpenDescriptors().Count); // what the learner's code left open was closed

        var acceptAllThenServeInOrder = SelfCheck.ConcurrentServer(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            bind(fd, "127.0.0.1", port);
            listen(fd, 3);
            var connections = new[] { accept(fd), accept(fd), accept(fd) };
            foreach (int connection in connections)
            {
                var buffer = new byte[1024];
                int n = read(connection, buffer);
                if (n > 0) write(connection, buffer.AsSpan(0, n));
                close(connection);
            }
            close(fd);
        });
        Assert.Equal(Verdict.Wrong, acceptAllThenServeInOrder.Verdict);
        Assert.Contains("got no reply", acceptAllThenServeInOrder.Detail);
        Assert.Equal(before, OpenDescriptors().Count);
    }
}

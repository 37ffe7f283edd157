using NetIpc.Native;
using NetIpc.Notebooks.Exercises;
using NetIpc.Proc;
using static NetIpc.Sockets.Sys;

namespace NetIpc.Notebooks.Tests;

/// <summary>
/// Every checker three ways: the placeholder is "not answered" (and runs nothing), the right answer is ✓, a
/// wrong one is ✗ with a hint and no exception. The right answers are worked out here independently.
/// </summary>
[Collection(SysDescriptors.Collection)]
public class SelfCheckTests
{
    [Fact]
    public void Judge_is_not_answered_while_a_part_is_null_and_names_it()
    {
        var result = Exercise.Judge("99.1", "t", [Part.Of<int>("a", 1, 1, "h"), Part.Of<int>("b", null, 2, "h")]);
        Assert.Equal(Verdict.NotAnswered, result.Verdict);
        Assert.Contains("b", result.Detail);
        Assert.StartsWith("○ Exercise 99.1 (t): not answered yet", result.ToString());
    }

    [Fact]
    public void Judge_lists_every_wrong_part_with_its_hint()
    {
        var result = Exercise.Judge("99.1", "t", [Part.Of<int>("a", 4, 3, "count again"), Part.Of<int>("b", 2, 2, "h"), Part.Near("m", 10.01, 10, 0.001, "closer")]);
        Assert.Equal(Verdict.Wrong, result.Verdict);
        Assert.Equal("✗ Exercise 99.1 (t): wrong — a: you said 4, the kernel says 3. Hint: count again m: you said 10.01, the kernel says 10. Hint: closer", result.ToString());
        Assert.Equal(Verdict.Correct, Exercise.Judge("99.1", "t", [Part.Near("m", 10.0005, 10, 0.001, "h"), Part.Is("l", new[] { 1, 2 }, new[] { 1, 2 }, "h")]).Verdict);
        Assert.Equal(Verdict.Wrong, Exercise.Judge("99.1", "t", [Part.Near("m", double.NaN, 10, 0.001, "h")]).Verdict);
    }

    [Fact]
    public void Htons_is_checked_against_the_bytes_in_network_order()
    {
        int swapped = BitConverter.ToUInt16([0x00, 0x50]); // 80 = 0x0050 travels as 00 50
        Assert.Equal(Verdict.Correct, SelfCheck.Htons(80, swapped).Verdict);
        Assert.Equal(Verdict.Wrong, SelfCheck.Htons(80, 80 == swapped ? 0x5000 : 80).Verdict);
        Assert.Equal(Verdict.NotAnswered, SelfCheck.Htons(80, null).Verdict);
    }

    [Fact]
    public void The_skbuff_check_follows_the_calls()
    {
        // alloc(200), reserve(64), put(100), push(20), pull(8): data at 64 − 20 + 8 = 52, len 100 + 20 − 8 = 112.
        Assert.Equal(Verdict.Correct, SelfCheck.SkBuffAfterFiveCalls(52, 112, false).Verdict);
        Assert.Equal(Verdict.Wrong, SelfCheck.SkBuffAfterFiveCalls(64, 112, false).Verdict);
        Assert.Equal(Verdict.NotAnswered, SelfCheck.SkBuffAfterFiveCalls(52, null, false).Verdict);
    }

    [LinuxFact]
    public void The_prediction_checks_take_their_truth_from_the_kernel()
    {
        Assert.Equal(Verdict.Correct, SelfCheck.EndOfFileAndRefused(0, Errno.ECONNREFUSED).Verdict); // errno(3)
        Assert.Equal(Verdict.Wrong, SelfCheck.EndOfFileAndRefused(0, 98).Verdict);
        Assert.Equal(Verdict.Correct, SelfCheck.TimeWaitWhenServerClosesFirst("server").Verdict);
        Assert.Equal(Verdict.Wrong, SelfCheck.TimeWaitWhenServerClosesFirst("client").Verdict);
        Assert.Equal(Verdict.Correct, SelfCheck.DatagramsIntoSmallBuffer([100, 150, 150]).Verdict);
        Assert.Equal(Verdict.Wrong, SelfCheck.DatagramsIntoSmallBuffer([100, 200, 300]).Verdict);
        Assert.Equal(Verdict.Correct, SelfCheck.LargestUdpPayload(65_535 - 20 - 8).Verdict);
        Assert.Equal(Verdict.Wrong, SelfCheck.LargestUdpPayload(65_535).Verdict);
    }

    [LinuxFact]
    public void Waiting_connections_are_counted_against_the_listeners_rx_queue()
    {
        Assert.Equal(Verdict.NotAnswered, SelfCheck.WaitingConnections((_, _) => null).Verdict);
        Assert.Equal(Verdict.Correct, SelfCheck.WaitingConnections((lines, port) =>
            lines.Count(l => l.State == KernelTcpState.Established && l.Local.Port == port && l.Inode == 0)).Verdict);
        // Every line on the port counts the accepted connection and the listener too.
        Assert.Equal(Verdict.Wrong, SelfCheck.WaitingConnections((lines, port) => lines.Count(l => l.Local.Port == port)).Verdict);
        Assert.Equal(Verdict.Wrong, SelfCheck.WaitingConnections((_, _) => throw new InvalidOperationException("oops")).Verdict);
    }

    [LinuxFact]
    public void The_seed_server_is_checked_against_the_tables_and_its_reply()
    {
        Assert.Equal(Verdict.NotAnswered, SelfCheck.SeedServer(_ => throw new NotImplementedException()).Verdict);
        var right = SelfCheck.SeedServer(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            bind(fd, "127.0.0.1", port);
            listen(fd, 1);
            int connection = accept(fd);
            var buffer = new byte[1024];
            int n = read(connection, buffer);
            write(connection, buffer.AsSpan(0, n));
            close(connection);
            close(fd);
        });
        Assert.True(right.Verdict == Verdict.Correct, right.ToString());
        var leaky = SelfCheck.SeedServer(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            bind(fd, "127.0.0.1", port);
            listen(fd, 1);
            int connection = accept(fd);
            var buffer = new byte[1024];
            write(connection, buffer.AsSpan(0, read(connection, buffer)));
            close(connection); // the listener is left open
        });
        Assert.Equal(Verdict.Wrong, leaky.Verdict);
        Assert.Contains("listening descriptor", leaky.Detail);
        int before = OpenDescriptors().Count;
        var silent = SelfCheck.SeedServer(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            bind(fd, "127.0.0.1", port);
            listen(fd, 1);
            accept(fd); // then waits for ever in a second accept
            accept(fd);
        });
        Assert.Equal(Verdict.Wrong, silent.Verdict);
        Assert.Equal(before, OpenDescriptors().Count); // what the learner's code left open was closed

        // bind() without listen(): the socket exists and holds the port, but it is no listener.
        var unlistening = SelfCheck.SeedServer(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            bind(fd, "127.0.0.1", port);
            Thread.Sleep(TimeSpan.FromSeconds(5)); // past the checker's patience
        });
        Assert.Equal(Verdict.Wrong, unlistening.Verdict);
        Assert.Contains("no LISTEN socket", unlistening.Detail);
        Assert.Contains("listen(fd, 1)", unlistening.Detail);
        Assert.Equal(before, OpenDescriptors().Count);
    }

    [LinuxFact]
    public void A_restart_over_time_wait_needs_so_reuseaddr()
    {
        Assert.Equal(Verdict.NotAnswered, SelfCheck.RestartOverTimeWait(_ => throw new NotImplementedException()).Verdict);
        var right = SelfCheck.RestartOverTimeWait(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
            bind(fd, "127.0.0.1", port);
            listen(fd, 1);
            return fd;
        });
        Assert.True(right.Verdict == Verdict.Correct, right.ToString());
        var wrong = SelfCheck.RestartOverTimeWait(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            bind(fd, "127.0.0.1", port);
            listen(fd, 1);
            return fd;
        });
        Assert.Equal(Verdict.Wrong, wrong.Verdict);
        Assert.Contains("SO_REUSEADDR", wrong.Detail);
    }

    [LinuxFact]
    public void A_non_blocking_connect_is_seen_in_syn_sent()
    {
        Assert.Equal(Verdict.NotAnswered, SelfCheck.NonBlockingConnect(_ => throw new NotImplementedException()).Verdict);
        var right = SelfCheck.NonBlockingConnect(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
            connect(fd, "127.0.0.1", port);
            return fd;
        });
        Assert.True(right.Verdict == Verdict.Correct, right.ToString());
        var blocking = SelfCheck.NonBlockingConnect(port =>
        {
            int fd = socket(AF_INET, SOCK_STREAM);
            connect(fd, "127.0.0.1", port);
            return fd;
        });
        Assert.Equal(Verdict.Wrong, blocking.Verdict);
        Assert.Contains("SOCK_NONBLOCK", blocking.Detail);
    }

    [LinuxFact]
    public void A_udp_server_answers_with_one_socket()
    {
        Assert.Equal(Verdict.NotAnswered, SelfCheck.UdpServer(_ => throw new NotImplementedException()).Verdict);
        var right = SelfCheck.UdpServer(port =>
        {
            int fd = socket(AF_INET, SOCK_DGRAM);
            bind(fd, "127.0.0.1", port);
            var buffer = new byte[1024];
            for (int i = 0; i < 3; i++)
            {
                int n = recvfrom(fd, buffer, out string address, out int from);
                sendto(fd, buffer.AsSpan(0, n), address, from);
            }
            close(fd);
        });
        Assert.True(right.Verdict == Verdict.Correct, right.ToString());
        var tcpHabit = SelfCheck.UdpServer(port =>
        {
            int fd = socket(AF_INET, SOCK_DGRAM);
            bind(fd, "127.0.0.1", port);
            if (listen(fd, 1) == -1) throw new InvalidOperationException($"listen: {strerror(errno)}");
        });
        Assert.Equal(Verdict.Wrong, tcpHabit.Verdict);
    }

    [LinuxFact]
    public void A_unix_server_removes_the_stale_name_before_bind()
    {
        Assert.Equal(Verdict.NotAnswered, SelfCheck.UnixServer(_ => throw new NotImplementedException()).Verdict);
        void Serve(string path, bool unlinkFirst)
        {
            if (unlinkFirst) unlink(path);
            int fd = socket(AF_UNIX, SOCK_STREAM);
            bind(fd, path);
            listen(fd, 1);
            int connection = accept(fd);
            var buffer = new byte[1024];
            write(connection, buffer.AsSpan(0, read(connection, buffer)));
            close(connection);
            close(fd);
        }
        var right = SelfCheck.UnixServer(path => Serve(path, unlinkFirst: true));
        Assert.True(right.Verdict == Verdict.Correct, right.ToString());
        int before = OpenDescriptors().Count;
        var stale = SelfCheck.UnixServer(path => Serve(path, unlinkFirst: false));
        Assert.Equal(before, OpenDescriptors().Count);
        Assert.Equal(Verdict.Wrong, stale.Verdict);
        Assert.Contains("unlink", stale.Detail);
    }
}

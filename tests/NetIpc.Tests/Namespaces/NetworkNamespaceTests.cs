using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Sockets;

namespace NetIpc.Tests.Namespaces;

/// <summary>
/// Work that outlives its limit: Run must not return while the thread it started goes on. Each test follows the
/// one thread it made by its id (/proc/self/task/&lt;tid&gt;), so namespace threads of tests running alongside do not count.
/// </summary>
public class NetworkNamespaceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(300);

    [InProcessFact(Capability.NetworkNamespace)]
    public void Work_blocked_in_accept_on_a_socket_tied_to_the_token_is_ended_and_its_thread_is_gone()
    {
        int tid = 0;
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<TimeoutException>(() => NetworkNamespace.Run((_, cancel) =>
        {
            tid = Native.LibC.GetThreadId();
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var closeOnCancel = cancel.Register(listener.Dispose);
            listener.Bind(new IPEndPoint(IPAddress.Any, 0));
            listener.Listen(1);
            return listener.Accept(); // nobody connects
        }, Limit));
        AssertThreadGone(tid);
        Assert.Contains("cancelled and its thread has ended", error.Message);
        Assert.True(clock.Elapsed < Limit + NetworkNamespace.CancelGrace, $"Run returned after {clock.Elapsed}");
    }

    [InProcessFact(Capability.NetworkNamespace)]
    public void Work_asleep_without_looking_at_the_token_is_interrupted_and_its_thread_is_gone()
    {
        int tid = 0;
        var error = Assert.Throws<TimeoutException>(() => NetworkNamespace.Run((_, _) =>
        {
            tid = Native.LibC.GetThreadId();
            Thread.Sleep(TimeSpan.FromMinutes(1));
            return 0;
        }, Limit));
        AssertThreadGone(tid);
        Assert.Contains("cancelled and its thread has ended", error.Message);
    }

    [InProcessFact(Capability.NetworkNamespace)]
    public void Work_that_ignores_cancellation_is_reported_as_still_running_not_as_ended()
    {
        int tid = 0;
        var release = new ManualResetEventSlim();
        try
        {
            var error = Assert.Throws<TimeoutException>(() => NetworkNamespace.Run((_, _) =>
            {
                tid = Native.LibC.GetThreadId();
                while (!release.IsSet)
                {
                    try
                    {
                        Thread.Sleep(10);
                    }
                    catch (ThreadInterruptedException)
                    {
                        // deaf on purpose: what an action that cannot be cancelled looks like
                    }
                }
                return 0;
            }, Limit));
            Assert.Contains("still running", error.Message);
            Assert.True(Directory.Exists($"/proc/self/task/{tid}"), "the thread the message calls running is running");
        }
        finally
        {
            release.Set();
        }
        AssertThreadGone(tid);
    }

    [InProcessFact(Capability.NetworkNamespace)]
    public void Work_within_its_limit_returns_its_result_from_inside_the_namespace()
    {
        // A new namespace has only lo, and it is down: proof the work did not run in this process's namespace.
        Assert.Equal("1: lo:", NetworkNamespace.Run((_, _) => NetworkNamespace.IpOutput("-o link show"), TimeSpan.FromSeconds(10))[..6]);
        Assert.DoesNotContain('\n', NetworkNamespace.Run((_, _) => NetworkNamespace.IpOutput("-o link show"), TimeSpan.FromSeconds(10)).Trim());
    }

    [InProcessFact(Capability.NetworkNamespace)]
    public void A_thread_the_work_leaves_running_inside_the_namespace_is_named()
    {
        using var release = new ManualResetEventSlim();
        var e = Assert.Throws<InvalidOperationException>(() => NetworkNamespace.Run((_, _) =>
        {
            new Thread(() => release.Wait(TimeSpan.FromSeconds(10))) { IsBackground = true, Name = "left behind" }.Start();
            return 0;
        }, TimeSpan.FromSeconds(10)));
        release.Set();
        Assert.Contains("left behind", e.Message);
        Assert.Contains("stayed in it", e.Message);
    }

    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp)]
    public void Commands_and_sockets_inside_the_namespace_start_no_thread_that_stays_there()
    {
        // Run's own check throws if a thread stayed behind; this is the work that used to leave some: ip through
        // ExternalCommand (its output was read asynchronously) and a server thread beside an accepting client.
        int echoed = NetworkNamespace.Run((_, cancel) =>
        {
            NetworkNamespace.BringLoopbackUp();
            NetworkNamespace.IpOutput("-o addr show dev lo");
            using var connection = LoopbackTcp.Open();
            connection.Client.Send([42]);
            var one = new byte[1];
            return connection.Server.Receive(one) == 1 ? one[0] : -1;
        }, TimeSpan.FromSeconds(20));
        Assert.Equal(42, echoed);
    }

    /// <summary>The managed thread is done when Join returns; the OS thread leaves /proc a moment later.</summary>
    private static void AssertThreadGone(int tid)
    {
        Assert.NotEqual(0, tid);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Directory.Exists($"/proc/self/task/{tid}"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"thread {tid} of the timed-out work is still in /proc/self/task");
            Thread.Sleep(10);
        }
    }
}

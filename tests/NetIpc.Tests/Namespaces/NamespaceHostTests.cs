using NetIpc.Isolation;
using NetIpc.Namespaces;

namespace NetIpc.Tests.Namespaces;

public class NamespaceHostTests
{
    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp)]
    public void Disposing_while_an_action_hangs_does_not_take_the_process_down_when_it_returns()
    {
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var host = new NamespaceHost("hung") { DisposeWait = TimeSpan.FromMilliseconds(100) };
        var hung = Task.Run(() => host.Run(() =>
        {
            entered.Set();
            release.Wait();
        }));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)), "the action started");
        host.Dispose(); // gives up waiting after 100 ms: the action still runs
        release.Set();
        hung.Wait(TimeSpan.FromSeconds(10));
        // Before the fix the namespace thread now read a disposed queue and the unhandled exception ended the test host.
        Poll(() => !File.Exists($"/proc/self/task/{host.ThreadId}/stat"), "the namespace thread to end");
    }

    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp)]
    public void A_failing_ip_command_names_itself_its_exit_code_and_what_it_said()
    {
        using var host = new NamespaceHost("errors");
        var error = Assert.Throws<InvalidOperationException>(() => host.Ip("link set nosuchdev0 up"));
        Assert.Contains("ip link set nosuchdev0 up exited with", error.Message);
        Assert.Contains("nosuchdev0", error.Message[error.Message.IndexOf(':')..]);
        Assert.Equal("1: lo:", host.IpOutput("-o link show dev lo")[..6]);
    }

    private static void Poll(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            Thread.Sleep(10);
        }
    }
}

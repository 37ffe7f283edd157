using NetIpc.Native;
using NetIpc.Sockets;

namespace NetIpc.Tests.Sockets;

/// <summary>The kernel's answers, each against what the man pages say and what a test can see for itself.</summary>
[Collection(nameof(NetIpc.Tests.Experiments.CleanupTests))] // counts this process's socket descriptors: alone
public class KernelAnswersTests
{
    private static int SocketDescriptors() =>
        Directory.GetFiles("/proc/self/fd").Count(f => new FileInfo(f).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);

    [LinuxFact]
    public void The_kernel_answers_as_its_manual_says_and_nothing_stays_open()
    {
        // A socket another test dropped without closing would be finalized at a random moment and move the count: collect it first.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int before = SocketDescriptors();
        Assert.Equal(0, KernelAnswers.ReadAfterPeerClosed());           // read(2): 0 is end of file
        Assert.Equal(Errno.ECONNREFUSED, KernelAnswers.ConnectRefusedErrno());
        Assert.Equal(Errno.EADDRINUSE, KernelAnswers.AddressInUseErrno());
        Assert.Equal(Errno.EAGAIN, KernelAnswers.NonBlockingReadErrno());
        Assert.Equal(before, SocketDescriptors());
    }

    [LinuxFact]
    public void Setting_the_receive_buffer_reports_twice_the_request_within_rmem_max()
    {
        int rmemMax = NetIpc.Proc.Sysctl.ReadRequiredInt("net.core.rmem_max");
        int requested = Math.Min(4096, rmemMax);
        Assert.Equal(2 * requested, KernelAnswers.ReceiveBufferReported(requested)); // socket(7), SO_RCVBUF
    }
}

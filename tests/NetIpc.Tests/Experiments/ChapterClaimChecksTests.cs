using NetIpc.Harness;
using NetIpc.Packets;
using NetIpc.Proc;
using NetIpc.SocketTables;

namespace NetIpc.Tests.Experiments;

/// <summary>Checks behind sentences of chapters 01, 03 and 04: they hold on the kernel's answer and fail on a wrong one.</summary>
public class ChapterClaimChecksTests
{
    private static TcpSocketEntry Line(KernelTcpState state) =>
        new(0, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9501), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40000),
            state, 0, 0, TcpTimer.None, 0, 0, 0, 0, 0, null);

    [Fact]
    public void An_abortive_close_passes_and_a_polite_one_fails()
    {
        CounterChange[] aborted = [new("TcpExt.TCPAbortOnClose", 1), new("Tcp.OutRsts", 1)];
        SocketsAreFiles.AbortChecks(aborted, []).RequireAll();

        CounterChange[] polite = [new("TcpExt.TCPAbortOnClose", 0), new("Tcp.OutRsts", 0)];
        var error = Assert.Throws<ProofFailedException>(() => SocketsAreFiles.AbortChecks(polite, [Line(KernelTcpState.TimeWait)]).RequireAll());
        Assert.Equal(2, error.Failed.Count);
        Assert.Contains(error.Failed, c => c.Evidence.StartsWith("TimeWait", StringComparison.Ordinal));
    }

    [LinuxFact]
    public void The_live_zoo_bears_out_chapter_03s_claims()
    {
        using var zoo = SocketZoo.Start(preferredPort: 0);
        zoo.Checks().RequireAll();
    }

    [Fact]
    public void The_recorded_zoo_bears_them_out_too()
    {
        using var zoo = SocketZoo.Recorded();
        zoo.Checks().RequireAll();
    }

    [Fact]
    public void The_recorded_capture_counts_partial_transport_checksums()
    {
        var recorded = SkBuffProofs.RecordedReceivePath();
        Assert.Equal(6, recorded.Frames.Count(f => f.Ip.ChecksumIsValid()));
        Assert.DoesNotContain(recorded.Frames, f => (f.Tcp is not null || f.Udp is not null) && f.TransportChecksumValid);
    }
}

using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Tcp;

namespace NetIpc.Tests.Experiments;

/// <summary>The FIN's receiver delays its ACK (pingpong mode); each claim fails when the kernel does otherwise.</summary>
public class FinAckTests
{
    private static FinAckObservation O(double t, KernelTcpState client, bool pingpong, double ato = 40) =>
        new(t, client, KernelTcpState.CloseWait, pingpong, ato);

    // What this kernel does: pingpong at once, the ACK after the 40 ms delayed-ACK timer, pingpong over afterwards.
    private static readonly FinAckObservation[] Delayed =
        [O(1, KernelTcpState.FinWait1, true), O(38, KernelTcpState.FinWait1, true), O(42, KernelTcpState.FinWait2, false)];

    [Fact]
    public void A_delayed_ack_passes_every_check()
    {
        var result = new FinAckResult(1, Delayed).Require();
        Assert.Equal(38, result.FinWait1LastSeenMs);
        Assert.Equal(42, result.FinWait2FirstSeenMs);
        Assert.Equal(40, result.AtoMs);
    }

    [Fact]
    public void A_receiver_not_in_pingpong_mode_fails_the_first_claim()
    {
        FinAckObservation[] seen = [O(1, KernelTcpState.FinWait1, false), O(42, KernelTcpState.FinWait2, false)];
        var error = Assert.Throws<ProofFailedException>(() => new FinAckResult(1, seen).Require());
        Assert.Contains(error.Failed, c => c.Claim.Contains("pingpong mode (tcp_fin", StringComparison.Ordinal) && c.Evidence.Contains("pingpong 0"));
    }

    [Fact]
    public void An_immediate_ack_fails_the_timing_claim()
    {
        FinAckObservation[] seen = [O(0.5, KernelTcpState.FinWait1, true), O(1.5, KernelTcpState.FinWait2, false)];
        var error = Assert.Throws<ProofFailedException>(() => new FinAckResult(1, seen).Require());
        var failed = Assert.Single(error.Failed);
        Assert.Contains("at least ato − 5 ms = 35 ms", failed.Claim);
        Assert.Contains("FIN-WAIT-2 first seen at 1.5 ms", failed.Evidence);
    }

    [Fact]
    public void Pingpong_that_outlives_the_timer_fails_the_last_claim()
    {
        FinAckObservation[] seen = [O(1, KernelTcpState.FinWait1, true), O(45, KernelTcpState.FinWait2, true)];
        var error = Assert.Throws<ProofFailedException>(() => new FinAckResult(1, seen).Require());
        Assert.Contains("leaves pingpong mode", Assert.Single(error.Failed).Claim);
    }

    [LinuxFact]
    public void This_kernel_delays_the_ack_of_a_fin()
    {
        var result = NetIpc.Experiments.FinAck().Require();
        Assert.True(result.FinWait2FirstSeenMs < 1000);
    }

    [Fact]
    public void The_lifecycle_recording_shows_fin_wait_1_for_tens_of_milliseconds()
    {
        var flow = Recordings.Load<LifecycleResult>("experiments/lifecycle.json").Result;
        var seen = flow.Seen("FIN-WAIT-1")!.Value;
        Assert.True(seen.Last - flow.StepTime(LifecycleResult.ClientClose)!.Value > 30);
    }
}

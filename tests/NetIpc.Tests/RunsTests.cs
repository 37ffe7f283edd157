using NetIpc.Isolation;
using NetIpc.Packets;

namespace NetIpc.Tests;

/// <summary>Measured.LiveOr and Measured.LiveOnly through the registry's run types.</summary>
public class RunsTests
{
    [LinuxFact]
    public void A_run_that_cannot_run_here_shows_its_recording_and_why()
    {
        var run = Runs.TwoHosts with { Live = () => throw new CapabilityMissingException("two-hosts", "needs CAP_SYS_ADMIN (test)") };
        var measured = Measured.LiveOr(run);
        Assert.True(measured.IsRecorded);
        Assert.StartsWith(RecordingLabel.Marker, measured.Source);
        Assert.Contains("two-hosts cannot run here: needs CAP_SYS_ADMIN (test)", measured.Source);
        Assert.Equal(measured.Source, measured.Kernel);
        Assert.Equal(Runs.TwoHosts.Recorded().Result.Server.Address, measured.Result.Server.Address);
    }

    [LinuxFact]
    public void A_live_only_run_that_cannot_run_here_gives_no_result_and_one_sentence_of_why()
    {
        var run = new LiveRun<int>("test", () => throw new CapabilityMissingException("test", "needs CAP_NET_ADMIN (test)"), "the test can only be watched live");
        var result = Measured.LiveOnly(run);
        Assert.False(result.HasResult);
        Assert.Equal("the test can only be watched live, and this machine cannot run it: test cannot run here: needs CAP_NET_ADMIN (test)", result.WhyNot);
        Assert.Throws<InvalidOperationException>(() => result.Result);
    }

    [LinuxFact]
    public void A_live_only_run_that_can_run_gives_its_result()
    {
        var result = Measured.LiveOnly(new LiveRun<int>("test", () => 42, "the test can only be watched live"));
        Assert.Equal(Capabilities.Of(Capability.ProcNet).Allowed, result.HasResult);
        Assert.Equal(result.HasResult ? 42 : 0, result.HasResult ? result.Result : 0);
    }

    [Fact]
    public void A_live_run_speaks_for_this_kernel()
    {
        var measured = new Measured<int>(1, "live: measured just now on this machine", IsRecorded: false);
        Assert.StartsWith("this kernel (", measured.Kernel);
    }

    [Fact]
    public void The_receive_path_recording_is_read_by_the_code_that_takes_frames_apart()
    {
        var (result, label) = Runs.ReceivePath.Recorded();
        Assert.Equal(SkBuffProofs.RecordedCaptureLabel, label);
        Assert.All(result.Checks, c => Assert.True(c.Holds, c.ToString()));
    }
}

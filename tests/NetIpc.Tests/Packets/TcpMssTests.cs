using NetIpc.Harness;
using NetIpc.Packets;

namespace NetIpc.Tests.Packets;

/// <summary>ipv4_default_advmss: min(max(mtu − 40, min_adv_mss), 65535 − 40).</summary>
public class TcpMssTests
{
    [Theory]
    [InlineData(1500, 1460)]   // Ethernet
    [InlineData(9000, 8960)]   // jumbo frames
    [InlineData(65535, 65495)] // the largest MTU an IPv4 packet can fill
    [InlineData(65536, 65495)] // loopback: 65496 would overflow the 16-bit total length, the cap wins
    [InlineData(200, 256)]     // below min_adv_mss the floor wins
    public void Advertised_mss_follows_the_kernels_formula(int mtu, int mss) =>
        Assert.Equal(mss, TcpMss.Ipv4DefaultAdvMss(mtu));

    [Fact]
    public void Loopback_is_not_mtu_minus_forty()
    {
        Assert.NotEqual(65536 - 40, TcpMss.Ipv4DefaultAdvMss(65536));
        Assert.Equal("min(MTU 65536 − 40, IPV4_MAX_PMTU 65535 − 40) = 65495", TcpMss.Explain(65536));
    }

    [Fact]
    public void The_recorded_capture_passes_the_mss_check_for_loopbacks_mtu()
    {
        var recorded = SkBuffProofs.RecordedReceivePath();
        var check = Assert.Single(recorded.Checks, c => c.Claim.Contains("MSS", StringComparison.Ordinal));
        Assert.True(check.Holds);
        Assert.Contains("65495", check.Claim);
    }

    [Fact]
    public void The_mss_check_fails_when_the_mtu_says_another_mss()
    {
        // The same frames, claimed to come from a 1500-byte link: the SYN's 65495 is then wrong and must stop the chapter.
        var recorded = SkBuffProofs.RecordedReceivePath();
        var error = Assert.Throws<ProofFailedException>(() => SkBuffProofs.ProveReceivePath(
            recorded.Frames, recorded.ServerPort, recorded.ClientPort, recorded.UdpPort, recorded.BytesSent, loopbackMtu: 1500));
        var failed = Assert.Single(error.Failed);
        Assert.Contains("MSS 1460", failed.Claim);
        Assert.Equal("SYN MSS 65495, SYN-ACK MSS 65495", failed.Evidence);
    }

    [Fact]
    public void A_capture_with_its_mtu_round_trips_through_the_recording_format()
    {
        var recorded = SkBuffProofs.RecordedReceivePath() with { LoopbackMtu = 65536 };
        var again = SkBuffProofs.FromCapture(recorded.ToRecording());
        Assert.Equal(65536, again.LoopbackMtu);
        Assert.Null(SkBuffProofs.RecordedReceivePath().LoopbackMtu);
    }

    [Fact]
    public void The_device_mtu_is_recorded_and_checked_against_the_routes()
    {
        var recorded = SkBuffProofs.RecordedReceivePath() with { LoopbackMtu = 65535, LoopbackDeviceMtu = 65536 };
        var again = SkBuffProofs.FromCapture(recorded.ToRecording());
        Assert.Equal(65536, again.LoopbackDeviceMtu);
        Assert.True(Assert.Single(again.Checks, c => c.Claim.Contains("device MTU", StringComparison.Ordinal)).Holds);
        // A route MTU that is not min(device MTU, 65535): the check must stop the chapter.
        var error = Assert.Throws<ProofFailedException>(() => SkBuffProofs.ProveReceivePath(
            recorded.Frames, recorded.ServerPort, recorded.ClientPort, recorded.UdpPort, recorded.BytesSent, loopbackMtu: 65535, deviceMtu: 1500));
        Assert.Contains("device MTU 1500, IP_MTU 65535", Assert.Single(error.Failed).Evidence);
    }
}

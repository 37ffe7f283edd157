using NetIpc.Commands;
using NetIpc.Isolation;

namespace NetIpc.Tests.Tools;

public class Iperf3RunTests
{
    /// <summary>Where iperf3 runs (tools/setup.sh installs it), one short round each way gives two figures; elsewhere the run says what is missing.</summary>
    [LinuxFact]
    public void One_round_measures_both_tools_or_names_the_missing_iperf3()
    {
        bool installed = File.Exists("/usr/bin/iperf3") || File.Exists("/usr/local/bin/iperf3");
        if (!installed)
        {
            var missing = Assert.Throws<CapabilityMissingException>(() => Iperf3Run.Tcp(rounds: 1, seconds: 1));
            Assert.Contains("tools/setup.sh installs it", missing.Message);
            return;
        }
        var tcp = Iperf3Run.Tcp(rounds: 1, seconds: 1);
        Assert.Equal(("TCP", 1, 1), (tcp.Protocol, tcp.OursGigabytesPerSecond.Count, tcp.Iperf3GigabytesPerSecond.Count));
        Assert.All([.. tcp.OursGigabytesPerSecond, .. tcp.Iperf3GigabytesPerSecond], g => Assert.InRange(g, 0.001, 1000));
        var udp = Iperf3Run.Udp(rounds: 1, seconds: 1);
        Assert.Equal(("UDP", 1), (udp.Protocol, udp.Iperf3LostPercent!.Count));
        Assert.InRange(udp.Iperf3LostMedian!.Value, 0, 100);
        Assert.Throws<ArgumentOutOfRangeException>(() => Iperf3Run.Tcp(rounds: 1, seconds: 0));
    }
}

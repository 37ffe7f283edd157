using NetIpc.Proc;
using static NetIpc.Experiments.Experiments;

namespace NetIpc.Tests.Experiments;

public class TwoHostsTests
{
    [ExperimentFact("two-hosts")]
    public void Two_namespaces_joined_by_a_veth_pair_talk_and_each_sees_only_its_own_sockets()
    {
        var result = TwoHosts(roundTrips: 20); // throws, naming the claim, when the kernel disagrees
        Assert.Equal(5, result.Checks.Count);
        Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", result.Client.LinkAddress);
        Assert.NotEqual(result.Client.LinkAddress, result.Server.LinkAddress);
        Assert.True(result.MedianRoundTripMicroseconds > 0);
    }

    [Fact]
    public void Arp_table_reads_the_kernels_format()
    {
        var table = ArpTable.Parse("IP address       HW type     Flags       HW address            Mask     Device\n10.12.0.2        0x1         0x2         9a:3f:00:11:22:33     *        veth-client\n");
        var entry = Assert.Single(table);
        Assert.Equal(("10.12.0.2", 1, true, "9a:3f:00:11:22:33", "veth-client"), (entry.Address.ToString(), entry.HardwareType, entry.IsComplete, entry.HardwareAddress, entry.Device));
        var error = Assert.Throws<ProcFormatException>(() => ArpTable.Parse("IP address HW type Flags HW address Mask Device\n10.12.0.2 1 0x2 x * eth0\n"));
        Assert.Equal((2, "HW type"), (error.Line, error.Field));
    }
}

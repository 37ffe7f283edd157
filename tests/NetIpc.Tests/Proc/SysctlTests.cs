using NetIpc.Proc;

namespace NetIpc.Tests.Proc;

public class SysctlTests
{
    [Fact]
    public void A_dotted_name_is_a_path_under_proc_sys() =>
        Assert.Equal("/proc/sys/net/ipv4/tcp_syn_retries", Sysctl.PathOf("net.ipv4.tcp_syn_retries"));

    [Fact]
    public void A_setting_this_kernel_lacks_reads_as_null_and_a_required_one_names_itself()
    {
        Assert.Null(Sysctl.Read("net.ipv4.no_such_setting"));
        Assert.Null(Sysctl.ReadInt("net.ipv4.no_such_setting"));
        var e = Assert.Throws<FileNotFoundException>(() => Sysctl.ReadRequiredInt("net.ipv4.no_such_setting"));
        Assert.Contains("net.ipv4.no_such_setting", e.Message);
    }

    [LinuxFact]
    public void A_setting_with_more_than_one_integer_is_a_format_error_naming_the_file()
    {
        // ip_local_port_range holds two numbers: reading it as one must not silently take either.
        var e = Assert.Throws<FormatException>(() => Sysctl.ReadInt("net.ipv4.ip_local_port_range"));
        Assert.Contains("/proc/sys/net/ipv4/ip_local_port_range", e.Message);
    }

    [LinuxFact]
    public void An_integer_setting_reads_as_its_value() =>
        Assert.Equal(int.Parse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim()), Sysctl.ReadInt("net.core.somaxconn"));
}

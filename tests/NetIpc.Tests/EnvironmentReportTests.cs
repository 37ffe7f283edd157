using System.Diagnostics;
using NetIpc.Isolation;

namespace NetIpc.Tests;

/// <summary>
/// The report must say what this machine really is: each value is compared with a second,
/// independent source (a command, or the process's capability mask).
/// </summary>
public class EnvironmentReportTests
{
    private static readonly EnvironmentReport Report = EnvironmentReport.Collect();

    [Fact]
    public void Kernel_release_matches_uname()
    {
        Assert.True(OperatingSystem.IsLinux(), "these checks describe a Linux machine");
        Assert.Equal(Run("uname", "-r"), Report.KernelRelease);
    }

    [Fact]
    public void Sysctls_match_the_sysctl_command()
    {
        Assert.Equal(int.Parse(Run("sysctl", "-n net.core.somaxconn")), Report.SomaxConn);
        Assert.Equal(int.Parse(Run("sysctl", "-n net.ipv4.tcp_syncookies")), Report.TcpSyncookies);
    }

    [Fact]
    public void Every_sysctl_the_chapters_rest_on_matches_the_sysctl_command_or_is_absent_for_both()
    {
        Assert.Equal(EnvironmentReport.SysctlsRead.Select(s => s.Name), Report.Sysctls.Select(s => s.Name));
        foreach (var reading in Report.Sysctls)
        {
            var sysctl = Process.Start(new ProcessStartInfo("sysctl", $"-n {reading.Name}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string output = sysctl.StandardOutput.ReadToEnd();
            sysctl.WaitForExit();
            string? expected = sysctl.ExitCode == 0 ? string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : null;
            Assert.True(expected == reading.Value, $"{reading.Name}: report {reading.Value ?? "absent"}, sysctl -n {expected ?? "absent"}");
            Assert.Contains(Report.Facts, f => f.Name == reading.Name && f.Value == (reading.Value ?? "absent: this kernel has no such setting"));
        }
    }

    [Fact]
    public void Dotnet_version_is_the_running_runtime()
    {
        Assert.Contains(Environment.Version.ToString(), Report.DotNetVersion);
    }

    [Fact]
    public void Root_matches_id_command()
    {
        Assert.Equal(Run("id", "-u") == "0", Report.IsRoot);
    }

    [Fact]
    public void Raw_socket_permission_follows_CAP_NET_RAW()
    {
        Assert.Equal(HasCapability(13), Report.RawSockets.Allowed);
        Assert.False(string.IsNullOrWhiteSpace(Report.RawSockets.Evidence));
    }

    [Fact]
    public void Namespace_permission_requires_CAP_SYS_ADMIN()
    {
        // Having the capability is necessary, not sufficient (a seccomp filter may still refuse).
        if (Report.NetworkNamespaces.Allowed) Assert.True(HasCapability(21));
        if (!HasCapability(21)) Assert.False(Report.NetworkNamespaces.Allowed);
        Assert.False(string.IsNullOrWhiteSpace(Report.NetworkNamespaces.Evidence));
    }

    [Fact]
    public void Permissions_are_the_capability_probes_answers()
    {
        Assert.Equal(Capabilities.Of(Capability.RawSocket).Allowed, Report.RawSockets.Allowed);
        Assert.Equal(Capabilities.Of(Capability.NetworkNamespace).Allowed, Report.NetworkNamespaces.Allowed);
    }

    [Fact]
    public void Proc_net_readable_agrees_with_the_file()
    {
        bool readable;
        try { readable = File.ReadAllText("/proc/net/tcp").StartsWith("  sl", StringComparison.Ordinal); }
        catch (IOException) { readable = false; }
        Assert.Equal(readable, Report.ProcNetReadable);
    }

    [Fact]
    public void Every_fact_names_its_source()
    {
        Assert.NotEmpty(Report.Facts);
        Assert.Contains("/proc/sys/net/core/somaxconn", Report.Facts.Select(f => f.Source));
        Assert.Equal(Report.SomaxConn.ToString(), Report.Facts.Single(f => f.Name == "somaxconn").Value);
    }

    private static bool HasCapability(int bit)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var mask = Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
        return (mask & (1UL << bit)) != 0;
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        Assert.True(process.WaitForExit(10_000), $"{file} {arguments} did not finish");
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}

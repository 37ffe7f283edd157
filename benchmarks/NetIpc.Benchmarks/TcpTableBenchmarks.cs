using System.Diagnostics;
using System.Net.NetworkInformation;
using BenchmarkDotNet.Attributes;
using NetIpc.Diag;
using NetIpc.Proc;

namespace NetIpc.Benchmarks;

/// <summary>
/// Five ways to learn what TCP sockets exist, and the netlink dump alone, on a table the program filled beforehand (Program.cs).
/// Each covers IPv4 and IPv6, as the .NET API and ss do. The baseline only reads the bytes.
/// Runs in this process: the sockets live in a network namespace with no network, where the default
/// toolchain could not restore packages to build its separate benchmark process.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class TcpTableBenchmarks
{
    [GlobalSetup]
    public void CheckTheTableIsFull()
    {
        int lines = File.ReadAllLines("/proc/self/net/tcp").Length - 1;
        if (lines < Program.MinimumSockets)
        {
            throw new InvalidOperationException($"/proc/self/net/tcp has {lines} lines; the benchmark needs {Program.MinimumSockets} (start it through Program, which opens them)");
        }
        int rows = SockDiag.Tcp().Count;
        if (rows < lines)
        {
            throw new InvalidOperationException($"sock_diag reports {rows} TCP sockets where /proc/self/net/tcp has {lines} lines: the two would not be timing the same table");
        }
    }

    [Benchmark(Baseline = true, Description = "read tcp + tcp6 bytes")]
    public int ReadBytes() => File.ReadAllBytes("/proc/self/net/tcp").Length + File.ReadAllBytes("/proc/self/net/tcp6").Length;

    [Benchmark(Description = "NetIpc: read + parse tcp + tcp6")]
    public int Parse() => ProcNet.Self.TcpAll().Count;

    [Benchmark(Description = "bare netlink dump tcp + tcp6 (received, not decoded)")]
    public int NetlinkBytes() => SockDiag.TcpMessageCount();

    [Benchmark(Description = "NetIpc: sock_diag (netlink) tcp + tcp6")]
    public int SockDiagRead() => SockDiag.Tcp().Count;

    [Benchmark(Description = ".NET IPGlobalProperties connections + listeners")]
    public int DotNetApi()
    {
        var properties = IPGlobalProperties.GetIPGlobalProperties();
        return properties.GetActiveTcpConnections().Length + properties.GetActiveTcpListeners().Length;
    }

    [Benchmark(Description = "ss -tan (a process, netlink)")]
    public int Ss()
    {
        using var ss = Process.Start(new ProcessStartInfo("ss", "-tan") { RedirectStandardOutput = true })!;
        int length = ss.StandardOutput.ReadToEnd().Length;
        ss.WaitForExit();
        return length;
    }
}

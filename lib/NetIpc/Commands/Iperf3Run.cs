using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Performance;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Commands;

/// <summary>
/// Measures an <see cref="Iperf3Comparison"/>: rounds of iperf3 and then the course's own measurement with the
/// same write size and duration, alternating so that a busy moment of the machine hits both. Everything goes
/// over 127.0.0.1, and each iperf3 server serves one client (-1) and is gone before the next round.
/// </summary>
public static class Iperf3Run
{
    // Whole seconds: iperf3 reads -t as an integer, and -t 0 means "until interrupted".

    /// <summary>One TCP stream, <paramref name="writeSize"/>-byte writes (iperf3 -l).</summary>
    public static Iperf3Comparison Tcp(int rounds, int seconds, int writeSize = 128 * 1024)
    {
        RequireIperf3(rounds, seconds);
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            theirs.Add(Client(seconds, ["-l", $"{writeSize}"]).GigabytesPerSecond);
            ours.Add(ThroughputExperiment.TcpLoopbackMegabytesPerSecond(writeSize, TimeSpan.FromSeconds(seconds)) / 1000);
        }
        return new Iperf3Comparison("TCP", writeSize, seconds, ours, theirs);
    }

    /// <summary>
    /// UDP: iperf3 -u with no rate limit (-b 0) and the course's UDP pair, both sending
    /// <paramref name="datagramSize"/>-byte datagrams as fast as one thread can, both receivers asking for a
    /// 1 MB receive buffer (the course's pair asks for that; iperf3 through -w). What counts is what arrived.
    /// </summary>
    public static Iperf3Comparison Udp(int rounds, int seconds, int datagramSize = 16384)
    {
        RequireIperf3(rounds, seconds);
        var ours = new List<double>();
        var theirs = new List<double>();
        var oursLost = new List<double>();
        var theirsLost = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            var (gbps, lost) = Client(seconds, ["-u", "-b", "0", "-w", "1M", "-l", $"{datagramSize}"]);
            theirs.Add(gbps);
            theirsLost.Add(lost);
            var (mbps, lostPercent) = ThroughputExperiment.UdpLoopback(datagramSize, TimeSpan.FromSeconds(seconds));
            ours.Add(mbps / 1000);
            oursLost.Add(lostPercent);
        }
        return new Iperf3Comparison("UDP", datagramSize, seconds, ours, theirs, oursLost, theirsLost);
    }

    /// <summary>Whether iperf3 runs here; otherwise the comparison cannot be measured and a chapter shows its recording.</summary>
    private static void RequireIperf3(int rounds, int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        try
        {
            if (ExternalCommand.Run("iperf3", ["--version"], TimeSpan.FromSeconds(10)).ExitCode == 0)
            {
                return;
            }
        }
        catch (FileNotFoundException)
        {
        }
        throw new CapabilityMissingException("the comparison with iperf3",
            "needs iperf3, which is not installed here (tools/setup.sh installs it, or: sudo apt-get install iperf3)");
    }

    /// <summary>One iperf3 client run against a one-shot server on loopback: GB/s received and, for UDP, the share lost.</summary>
    private static (double GigabytesPerSecond, double LostPercent) Client(int seconds, IReadOnlyList<string> options)
    {
        int port = LoopbackPorts.Unused(); // iperf3's server binds it itself, for TCP and UDP alike
        using var server = Process.Start(new ProcessStartInfo("iperf3", ["-s", "-1", "-p", $"{port}", "-B", "127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start iperf3 -s");
        // Drained and dropped: its report is the client's JSON, and an inherited stdout would write into the kernel's protocol.
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            // iperf3 announces its listener on a buffered stdout: the kernel's table says when it listens.
            Poll.Until(TimeSpan.FromSeconds(5), $"iperf3's server to listen on 127.0.0.1:{port}",
                () => ProcNet.Self.Tcp().Any(e => e.State == KernelTcpState.Listen && e.Local.Port == port));
            var client = ExternalCommand.Run("iperf3", ["-c", "127.0.0.1", "-p", $"{port}", "-t", $"{seconds}", "-J", .. options],
                TimeSpan.FromSeconds(seconds + 15));
            using var document = JsonDocument.Parse(client.EnsureSuccess());
            var received = document.RootElement.GetProperty("end").GetProperty("sum_received");
            double lost = received.TryGetProperty("lost_percent", out var l) ? l.GetDouble() : 0;
            return (received.GetProperty("bits_per_second").GetDouble() / 8e9, lost);
        }
        finally
        {
            if (!server.WaitForExit(5000))
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit();
            }
        }
    }
}

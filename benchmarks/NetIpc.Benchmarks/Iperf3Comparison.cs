using System.Diagnostics;
using System.Text.Json;
using NetIpc.Commands;

namespace NetIpc.Benchmarks;

/// <summary>Measures an <see cref="Iperf3Comparison"/>: the record lives in the library, so chapter 13 reads it back typed.</summary>
public static class Iperf3ComparisonRun
{
    /// <summary>
    /// Rounds of: iperf3 (one TCP stream, 128 KB writes) then the course's own measurement with the same write
    /// size and duration, alternating so that a busy moment of the machine hits both. Medians are compared.
    /// </summary>
    public static Iperf3Comparison Tcp(int rounds = 5, double seconds = 2, int writeSize = 128 * 1024)
    {
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            theirs.Add(Iperf3(seconds, $"-l {writeSize}").GigabytesPerSecond);
            ours.Add(Experiments.TcpLoopbackMegabytesPerSecond(writeSize, TimeSpan.FromSeconds(seconds)) / 1000);
            Console.WriteLine($"  TCP round {round + 1}: iperf3 {theirs[^1]:F2} GB/s, course {ours[^1]:F2} GB/s");
        }
        return new Iperf3Comparison("TCP", writeSize, seconds, ours, theirs);
    }

    /// <summary>
    /// The same for UDP: iperf3 -u with no rate limit (-b 0) and the course's UDP pair, both sending
    /// <paramref name="datagramSize"/>-byte datagrams as fast as one thread can, both receivers asking for a
    /// 1 MB receive buffer (the course's pair asks for that; iperf3 through -w). What counts is what arrived.
    /// </summary>
    public static Iperf3Comparison Udp(int rounds = 5, double seconds = 2, int datagramSize = 16384)
    {
        var ours = new List<double>();
        var theirs = new List<double>();
        var oursLost = new List<double>();
        var theirsLost = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            var (gbps, lost) = Iperf3(seconds, $"-u -b 0 -w 1M -l {datagramSize}");
            theirs.Add(gbps);
            theirsLost.Add(lost);
            var (mbps, lostPercent) = Experiments.UdpLoopback(datagramSize, TimeSpan.FromSeconds(seconds));
            ours.Add(mbps / 1000);
            oursLost.Add(lostPercent);
            Console.WriteLine($"  UDP round {round + 1}: iperf3 {theirs[^1]:F2} GB/s ({theirsLost[^1]:F0}% lost), course {ours[^1]:F2} GB/s ({oursLost[^1]:F0}% lost)");
        }
        return new Iperf3Comparison("UDP", datagramSize, seconds, ours, theirs, oursLost, theirsLost);
    }

    /// <summary>One iperf3 client run against a one-shot server on loopback: GB/s received and, for UDP, the percentage lost.</summary>
    private static (double GigabytesPerSecond, double LostPercent) Iperf3(double seconds, string options)
    {
        int port = 5201 + Random.Shared.Next(1000);
        using var server = Process.Start(new ProcessStartInfo("iperf3", $"-s -1 -p {port} -B 127.0.0.1") { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("iperf3 is not installed: run compare-with-iperf3.sh, which installs it");
        try
        {
            Thread.Sleep(300); // the server's listen; iperf3 has no readiness signal but its output, which is buffered
            var client = ExternalCommand.Run("iperf3", ["-c", "127.0.0.1", "-p", $"{port}", "-t", $"{seconds}", "-J", .. options.Split(' ')],
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
            }
        }
    }
}

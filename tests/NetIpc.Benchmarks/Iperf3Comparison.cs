using System.Diagnostics;
using System.Text.Json;
using NetIpc.Experiments;
using NetIpc.Tools;

namespace NetIpc.Benchmarks;

/// <summary>Measures an <see cref="Iperf3Comparison"/>: the record lives in the library, so chapter 13 reads it back typed.</summary>
public static class Iperf3ComparisonRun
{
    /// <summary>
    /// Rounds of: iperf3 (one stream, 128 KB writes) then the course's own measurement with the same write size
    /// and duration, alternating so that a busy moment of the machine hits both. Medians are compared.
    /// </summary>
    public static Iperf3Comparison Run(int rounds = 5, double seconds = 2, int writeSize = 128 * 1024)
    {
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            theirs.Add(Iperf3(seconds, writeSize));
            ours.Add(Experiments.Experiments.TcpLoopbackMegabytesPerSecond(writeSize, TimeSpan.FromSeconds(seconds)) / 1000);
            Console.WriteLine($"  round {round + 1}: iperf3 {theirs[^1]:F2} GB/s, course {ours[^1]:F2} GB/s");
        }
        return new Iperf3Comparison(writeSize, seconds, ours, theirs);
    }

    private static double Iperf3(double seconds, int writeSize)
    {
        int port = 5201 + Random.Shared.Next(1000);
        using var server = Process.Start(new ProcessStartInfo("iperf3", $"-s -1 -p {port} -B 127.0.0.1") { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("iperf3 is not installed: run compare-with-iperf3.sh, which installs it");
        Thread.Sleep(300);
        using var client = Process.Start(new ProcessStartInfo("iperf3", $"-c 127.0.0.1 -p {port} -t {seconds} -l {writeSize} -J") { RedirectStandardOutput = true })!;
        string json = client.StandardOutput.ReadToEnd();
        client.WaitForExit();
        server.WaitForExit(5000);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 8e9;
    }
}

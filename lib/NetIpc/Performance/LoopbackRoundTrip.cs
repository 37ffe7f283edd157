using System.Diagnostics;
using NetIpc.Sockets;

namespace NetIpc.Performance;

/// <summary>One message's trip: client → server → client over a loopback TCP connection.</summary>
public sealed record RoundTrip(int Message, double Microseconds);

/// <summary>The result of <see cref="LoopbackRoundTrip.Measure"/>: every round trip, in order.</summary>
public sealed record LoopbackRoundTripResult(int MessageSize, IReadOnlyList<RoundTrip> Trips)
{
    public double MedianMicroseconds => Percentile(0.5);
    public double P99Microseconds => Percentile(0.99);

    /// <summary>How many of the other trips were faster than the first: the first is usually slow (JIT, cold caches), not always the slowest.</summary>
    public int FasterThanFirst => Trips.Count == 0 ? 0 : Trips.Skip(1).Count(t => t.Microseconds < Trips[0].Microseconds);


    /// <summary>A typical round trip between two machines on one local network, for comparison only (not measured here).</summary>
    public static readonly (double Low, double High) LanMicroseconds = (200, 1_000);

    /// <summary>A typical round trip across the internet, for comparison only (not measured here).</summary>
    public static readonly (double Low, double High) InternetMicroseconds = (10_000, 300_000);

    /// <summary>The median set against typical round trips between two machines: how many times shorter, computed from this run.</summary>
    public string InProportion
    {
        get
        {
            double m = MedianMicroseconds;
            string Times(double value) => (value / m).ToString(value / m >= 100 ? "N0" : "0", System.Globalization.CultureInfo.InvariantCulture);
            return $"median {m:F1} µs: {Times(LanMicroseconds.Low)} to {Times(LanMicroseconds.High)} times shorter than a typical round trip between two machines " +
                   $"on one local network ({LanMicroseconds.Low:0} µs to {LanMicroseconds.High / 1000:0} ms), {Times(InternetMicroseconds.Low)} to " +
                   $"{Times(InternetMicroseconds.High)} times shorter than one across the internet ({InternetMicroseconds.Low / 1000:0} to {InternetMicroseconds.High / 1000:0} ms)";
        }
    }

    private double Percentile(double q) => Trips.Count == 0 ? double.NaN : Stats.Percentile(Trips.Select(t => t.Microseconds), q);
}

/// <summary>
/// Ping-pong over a TCP connection on 127.0.0.1: the smallest complete conversation between two
/// sockets, timed message by message. Everything it opens is closed before it returns.
/// </summary>
public static class LoopbackRoundTrip
{
    public static LoopbackRoundTripResult Measure(int messages = 200, int messageSize = 64, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messageSize);
        int timeoutMs = (int)(timeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;

        using var connection = LoopbackTcp.Open(beforeConnect: c =>
        {
            c.NoDelay = true;
            c.SendTimeout = c.ReceiveTimeout = timeoutMs;
        });
        var (client, server) = (connection.Client, connection.Server);
        server.NoDelay = true;
        server.SendTimeout = server.ReceiveTimeout = timeoutMs;

        var outgoing = new byte[messageSize];
        var echo = new byte[messageSize];
        var back = new byte[messageSize];
        var trips = new List<RoundTrip>(messages);
        for (int i = 0; i < messages; i++)
        {
            outgoing.AsSpan().Fill((byte)i);
            long start = Stopwatch.GetTimestamp();
            client.Send(outgoing);
            server.ReceiveExactly(echo);
            server.Send(echo);
            client.ReceiveExactly(back);
            trips.Add(new RoundTrip(i + 1, Stopwatch.GetElapsedTime(start).TotalMicroseconds));
            if (!back.AsSpan().SequenceEqual(outgoing))
                throw new InvalidDataException($"message {i + 1} came back changed");
        }
        return new LoopbackRoundTripResult(messageSize, trips);
    }
}

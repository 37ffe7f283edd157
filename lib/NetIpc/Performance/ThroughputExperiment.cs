using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Performance;

/// <summary>One run of one transport at one message size, on a pair of sockets of its own.</summary>
public sealed record ThroughputRun(double MegabytesPerSecond, double MedianRoundTripMicroseconds, long MessagesSent, long MessagesLost);

/// <summary>
/// One transport at one message size over several runs: each figure is the median of the runs, with the
/// lowest and highest beside it, because one short run on a shared machine can be off by tens of percent.
/// </summary>
public sealed record ThroughputPoint(string Transport, int MessageSize, IReadOnlyList<ThroughputRun> Runs)
{
    public double MegabytesPerSecond => Stats.Median(Runs.Select(r => r.MegabytesPerSecond));

    public double MinMegabytesPerSecond => Runs.Min(r => r.MegabytesPerSecond);

    public double MaxMegabytesPerSecond => Runs.Max(r => r.MegabytesPerSecond);

    /// <summary>The median over the runs of each run's median round trip.</summary>
    public double MedianRoundTripMicroseconds => Stats.Median(Runs.Select(r => r.MedianRoundTripMicroseconds));

    public double MinRoundTripMicroseconds => Runs.Min(r => r.MedianRoundTripMicroseconds);

    public double MaxRoundTripMicroseconds => Runs.Max(r => r.MedianRoundTripMicroseconds);

    public long MessagesSent => Runs.Sum(r => r.MessagesSent);

    /// <summary>Datagrams sent and never received, over all runs (a stream loses none).</summary>
    public long MessagesLost => Runs.Sum(r => r.MessagesLost);
}

/// <param name="SecondsPerRun">How long each one-way run sent.</param>
/// <param name="FourSystemCallsMicroseconds">
/// The median time of four system calls that do next to nothing (getppid), as many as one round trip makes — a
/// send and a receive on each socket — measured in every run beside the transports: the cost of entering and
/// leaving the kernel, without any socket's work. NaN where it was not measured.
/// </param>
public sealed record ThroughputResult(IReadOnlyList<ThroughputPoint> Points, double SecondsPerRun = 0.2, double FourSystemCallsMicroseconds = double.NaN)
{
    /// <summary>How many runs each point is the median of.</summary>
    public int RunsPerPoint => Points.Count == 0 ? 0 : Points.Min(p => p.Runs.Count);
}

/// <summary>Four transports at several message sizes: bytes per second one way, and the median round trip.</summary>
internal static class ThroughputExperiment
{
    private delegate (Socket, Socket) PairFactory();

    private static readonly (string Name, PairFactory Pair, bool Datagram)[] Transports =
    [
        ("TCP (loopback)", TcpPair, false),
        ("UNIX stream", () => SocketPair.Create(SocketType.Stream), false),
        ("UDP (loopback)", UdpPair, true),
        ("UNIX datagram", () => SocketPair.Create(SocketType.Dgram), true),
    ];

    /// <summary>Above this a datagram does not fit in one UDP packet (65,507 bytes of payload).</summary>
    private const int LargestDatagram = 65000;

    /// <summary>
    /// TCP over loopback, UNIX stream, UDP and UNIX datagram, each at each message size, <paramref name="runs"/>
    /// times: each run opens a fresh pair, times <paramref name="roundTrips"/> ping-pongs (their median), then
    /// sends one way for <paramref name="duration"/> (bytes per second received). The runs go round the
    /// transports and sizes in turn, so a busy moment of the machine hits every point alike rather than one.
    /// Datagram senders that outrun their receiver lose messages (UDP) or wait (UNIX); both are reported.
    /// </summary>
    public static ThroughputResult Run(int[] messageSizes, TimeSpan? duration, int roundTrips, int runs)
    {
        if (messageSizes.Length == 0 || messageSizes.Any(s => s < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(messageSizes), $"message sizes must be at least 1 byte, got [{string.Join(", ", messageSizes)}]");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrips, 1);
        var length = duration ?? TimeSpan.FromSeconds(0.2);
        var combinations = messageSizes
            .SelectMany(size => Transports.Where(t => !t.Datagram || size <= LargestDatagram).Select(t => (Transport: t, Size: size)))
            .ToList();
        var measured = combinations.ToDictionary(c => c, _ => new List<ThroughputRun>());
        var bare = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            bare.Add(FourSystemCalls(roundTrips));
            foreach (var c in combinations)
            {
                measured[c].Add(MeasureOnce(c.Transport.Pair, c.Size, length, roundTrips, stream: !c.Transport.Datagram));
            }
        }
        return new ThroughputResult(combinations.Select(c => new ThroughputPoint(c.Transport.Name, c.Size, measured[c])).ToList(),
            length.TotalSeconds, Stats.Median(bare));
    }

    /// <summary>The median time of four getppid() calls in a row, taken <paramref name="times"/> times: a round trip's system calls, doing nothing.</summary>
    private static double FourSystemCalls(int times)
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }
        var samples = new List<double>(times);
        for (int i = 0; i < times; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Native.LibC.GetParentProcessId();
            Native.LibC.GetParentProcessId();
            Native.LibC.GetParentProcessId();
            Native.LibC.GetParentProcessId();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        return Stats.Median(samples);
    }

    /// <summary>The course's TCP bulk figure <paramref name="rounds"/> times over: <see cref="TcpLoopbackMegabytesPerSecond"/> each round.</summary>
    public static IReadOnlyList<double> TcpLoopbackRounds(int writeSize, TimeSpan duration, int rounds) =>
        Enumerable.Range(0, rounds).Select(_ => TcpLoopbackMegabytesPerSecond(writeSize, duration)).ToList();

    /// <summary>One TCP stream over loopback, written in <paramref name="writeSize"/> blocks for <paramref name="duration"/>, the way iperf3 measures.</summary>
    public static double TcpLoopbackMegabytesPerSecond(int writeSize, TimeSpan duration)
    {
        var (sender, receiver) = TcpPair();
        using (sender)
        using (receiver)
        {
            return OneWayForDuration(sender, receiver, writeSize, duration, stream: true).MegabytesPerSecond;
        }
    }

    /// <summary>
    /// UDP over loopback, <paramref name="datagramSize"/>-byte datagrams sent as fast as one thread can for
    /// <paramref name="duration"/>: bytes per second received, and the percentage of datagrams lost.
    /// </summary>
    public static (double MegabytesPerSecond, double LostPercent) UdpLoopback(int datagramSize, TimeSpan duration)
    {
        var (sender, receiver) = UdpPair();
        using (sender)
        using (receiver)
        {
            var (mbps, sent, lost, _) = OneWay(sender, receiver, datagramSize, duration, stream: false);
            return (mbps, sent == 0 ? 0 : 100.0 * lost / sent);
        }
    }

    private static ThroughputRun MeasureOnce(PairFactory pair, int size, TimeSpan duration, int roundTrips, bool stream)
    {
        var (a, b) = pair();
        using (a)
        using (b)
        {
            // Round trips first: the one-way run ends with the sender shutting down its side.
            double roundTrip = MedianRoundTripMicroseconds(a, b, size, roundTrips, stream);
            var (mbps, sent, lost, _) = OneWay(a, b, size, duration, stream);
            return new ThroughputRun(mbps, roundTrip, sent, lost);
        }
    }

    /// <summary>
    /// Sends for <paramref name="duration"/> and divides the bytes received by the time from the first send
    /// to the last byte read. The reader learns that the sender stopped from the end of the stream, or for
    /// datagrams after a quiet 50 ms; that wait is not transfer time (counting it made a 0.3 s run about 40% slow).
    /// </summary>
    internal static (double MegabytesPerSecond, long Lost, double Seconds) OneWayForDuration(Socket sender, Socket receiver, int size, TimeSpan duration, bool stream)
    {
        var (mbps, _, lost, seconds) = OneWay(sender, receiver, size, duration, stream);
        return (mbps, lost, seconds);
    }

    private static (double MegabytesPerSecond, long Sent, long Lost, double Seconds) OneWay(Socket sender, Socket receiver, int size, TimeSpan duration, bool stream)
    {
        long received = 0, messagesReceived = 0, messagesSent = 0;
        long start = 0, lastByte = 0;
        var stop = new CancellationTokenSource();
        // Loopback delivers a datagram within the sender's own system call, so 50 ms of silence after the
        // sender stopped means nothing more is coming; a stream ends sooner, with the sender's FIN.
        receiver.ReceiveTimeout = 50;
        var reader = new Thread(() =>
        {
            var buffer = new byte[Math.Max(size, 128 * 1024)];
            while (true)
            {
                try
                {
                    int n = receiver.Receive(buffer);
                    if (n == 0 && stream)
                    {
                        return;
                    }
                    received += n;
                    messagesReceived++;
                    lastByte = Stopwatch.GetTimestamp();
                }
                catch (SocketException)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return; // quiet after the sender stopped: done
                    }
                }
            }
        })
        { IsBackground = true, Name = "throughput reader" };
        reader.Start();
        var message = new byte[size];
        start = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            sender.Send(message);
            messagesSent++;
        }
        stop.Cancel();
        if (stream)
        {
            sender.Shutdown(SocketShutdown.Send);
        }
        reader.Join(); // the reader's writes to received and lastByte are visible after Join
        double seconds = lastByte > start ? Stopwatch.GetElapsedTime(start, lastByte).TotalSeconds : clock.Elapsed.TotalSeconds;
        return (received / seconds / 1e6, messagesSent, stream ? 0 : messagesSent - messagesReceived, seconds);
    }

    private static double MedianRoundTripMicroseconds(Socket a, Socket b, int size, int trips, bool stream)
    {
        a.ReceiveTimeout = b.ReceiveTimeout = 2000;
        var message = new byte[size];
        var buffer = new byte[size];
        var times = new List<double>(trips);
        for (int i = 0; i < trips; i++)
        {
            long start = Stopwatch.GetTimestamp();
            a.Send(message);
            ReceiveOneMessage(b, buffer, size, stream);
            b.Send(message);
            ReceiveOneMessage(a, buffer, size, stream);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        return Stats.Median(times);
    }

    private static void ReceiveOneMessage(Socket s, byte[] buffer, int size, bool stream)
    {
        if (!stream)
        {
            s.Receive(buffer); // one datagram is one message
            return;
        }
        s.ReceiveExactly(buffer.AsSpan(0, size));
    }

    private static (Socket, Socket) TcpPair()
    {
        var (client, server) = LoopbackTcp.Open(beforeConnect: c => c.NoDelay = true).WithoutListener();
        server.NoDelay = true;
        return (client, server);
    }

    private static (Socket, Socket) UdpPair()
    {
        var a = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var b = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        a.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        b.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        a.Connect(b.LocalEndPoint!);
        b.Connect(a.LocalEndPoint!);
        return (a, b);
    }
}

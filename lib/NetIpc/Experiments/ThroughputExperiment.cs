using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Experiments;

/// <summary>One transport at one message size: how fast bytes went one way, and how long a round trip took.</summary>
public sealed record ThroughputPoint(string Transport, int MessageSize, double MegabytesPerSecond, double MedianRoundTripMicroseconds, long MessagesLost);

public sealed record ThroughputResult(IReadOnlyList<ThroughputPoint> Points);

/// <summary>Four transports at several message sizes: bytes per second one way, and the median round trip.</summary>
internal static class ThroughputExperiment
{
    /// <summary>
    /// TCP over loopback, UNIX stream, UDP and UNIX datagram, each at each message size: bytes per second
    /// one way for <paramref name="duration"/>, then the median of <paramref name="roundTrips"/> ping-pongs.
    /// Datagram senders that outrun their receiver lose messages (UDP) or wait (UNIX); both are reported.
    /// </summary>
    public static ThroughputResult Run(int[] messageSizes, TimeSpan? duration, int roundTrips)
    {
        var length = duration ?? TimeSpan.FromSeconds(0.3);
        var points = new List<ThroughputPoint>();
        foreach (int size in messageSizes)
        {
            points.Add(MeasureTransport("TCP (loopback)", size, length, roundTrips, TcpPair));
            points.Add(MeasureTransport("UNIX stream", size, length, roundTrips, () => SocketPair.Create(SocketType.Stream)));
            if (size <= 65000)
            {
                points.Add(MeasureTransport("UDP (loopback)", size, length, roundTrips, UdpPair));
                points.Add(MeasureTransport("UNIX datagram", size, length, roundTrips, () => SocketPair.Create(SocketType.Dgram)));
            }
        }
        return new ThroughputResult(points);
    }

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

    private static ThroughputPoint MeasureTransport(string transport, int size, TimeSpan duration, int roundTrips, Func<(Socket, Socket)> pair)
    {
        var (a, b) = pair();
        using (a)
        using (b)
        {
            bool stream = a.SocketType == SocketType.Stream;
            var (mbps, lost, _) = OneWayForDuration(a, b, size, duration, stream);
            return new ThroughputPoint(transport, size, mbps, MedianRoundTripMicroseconds(a, b, size, roundTrips, stream), lost);
        }
    }

    /// <summary>
    /// Sends for <paramref name="duration"/> and divides the bytes received by the time from the first send
    /// to the last byte read. The reader only learns that the sender stopped after a quiet 200 ms, and that
    /// wait is not transfer time: counting it made a 0.3 s run about 40% slow.
    /// </summary>
    internal static (double MegabytesPerSecond, long Lost, double Seconds) OneWayForDuration(Socket sender, Socket receiver, int size, TimeSpan duration, bool stream)
    {
        long received = 0, messagesReceived = 0, messagesSent = 0;
        long start = 0, lastByte = 0;
        var stop = new CancellationTokenSource();
        receiver.ReceiveTimeout = 200;
        var reader = new Thread(() =>
        {
            var buffer = new byte[Math.Max(size, 128 * 1024)];
            while (true)
            {
                try
                {
                    int n = receiver.Receive(buffer);
                    if (n == 0)
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
                        return; // quiet for 200 ms after the sender stopped: done
                    }
                }
            }
        })
        { IsBackground = true };
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
        reader.Join(); // the reader's writes to received and lastByte are visible after Join
        double seconds = lastByte > start ? Stopwatch.GetElapsedTime(start, lastByte).TotalSeconds : clock.Elapsed.TotalSeconds;
        return (received / seconds / 1e6, stream ? 0 : messagesSent - messagesReceived, seconds);
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
        times.Sort();
        return times[times.Count / 2];
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
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            client.Connect(listener.LocalEndPoint!);
            var server = listener.Accept();
            server.NoDelay = true;
            return (client, server);
        }
        catch
        {
            client.Dispose(); // nobody else holds it yet
            throw;
        }
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

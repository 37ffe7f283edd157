using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>One call of the seed's flow and when it was made.</summary>
public sealed record LifecycleStep(double TimeMs, string Call);

/// <summary>How many of the experiment's sockets were in one state at one moment.</summary>
public sealed record LifecycleSample(double TimeMs, string State, int Count);

/// <summary>The seed's flow, call by call, with the states the kernel reported in between.</summary>
public sealed record LifecycleResult(int Port, IReadOnlyList<LifecycleStep> Steps, IReadOnlyList<LifecycleSample> Samples)
{
    /// <summary>The first and last sample that showed a socket in <paramref name="state"/> (ss's name), or null if none did.</summary>
    public (double First, double Last)? Seen(string state)
    {
        var times = Samples.Where(s => s.State == state).Select(s => s.TimeMs).ToList();
        return times.Count == 0 ? null : (times.Min(), times.Max());
    }

    /// <summary>When the call was made, or null if the run has no such step.</summary>
    public double? StepTime(string call) => Steps.FirstOrDefault(s => s.Call == call)?.TimeMs;


    public const string ClientClose = "client close()";
    public const string ServerClose = "server read() = 0, close()";
}

/// <summary>The seed's flow, call by call, sampled between calls.</summary>
internal static class LifecycleExperiment
{
    /// <summary>
    /// socket → bind → listen; client connect; accept; write and read both ways; the client closes, the
    /// server reads end-of-file and closes — with <paramref name="pause"/> between calls while a sampler
    /// counts the sockets of the port in each state. Everything is closed before it returns; the client's
    /// TIME_WAIT stays in the kernel (owned by no file) for 60 s, as it should. The server takes the seed's
    /// port when the kernel allows; <paramref name="preferredPort"/> 0 keeps it off 9501 (tests).
    /// </summary>
    public static LifecycleResult Run(TimeSpan? pause, int preferredPort)
    {
        var wait = pause ?? TimeSpan.FromMilliseconds(60);
        var clock = Stopwatch.StartNew();
        var steps = new List<LifecycleStep>();
        var sockets = new List<Socket>();
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sockets.Add(listener);
        Sampler? sampler = null;
        void Step(string call, Action action)
        {
            action();
            steps.Add(new LifecycleStep(Math.Round(clock.Elapsed.TotalMilliseconds, 1), call));
            // One sample right after each call: the state it left must be in the chart even when a busy
            // machine keeps the sampler's own thread waiting through the whole pause.
            sampler?.SampleNow();
            Thread.Sleep(wait);
        }
        try
        {
            int port = 0;
            Socket? client = null, connection = null;
            var buffer = new byte[64];
            var clientPorts = new HashSet<int>();
            // A thread of the sampler's own, not the thread pool: a busy pool would starve a timer.
            // The sampler's thread reads the client ports while this one adds to them.
            bool IsClientPort(int p)
            {
                lock (clientPorts)
                {
                    return clientPorts.Contains(p);
                }
            }
            bool Ours(TcpSocketEntry e) => Volatile.Read(ref port) is int server and not 0 && ((e.State == KernelTcpState.Listen && e.Local.Port == server)
                || (e.Local.Port == server && IsClientPort(e.Remote.Port)) || (IsClientPort(e.Local.Port) && e.Remote.Port == server));
            var probes = Enum.GetValues<KernelTcpState>().Select(state =>
                new Probe(SocketTable.SsStateName(state), snapshot => snapshot.Tcp.Count(e => e.State == state && Ours(e)))).ToList();
            using var timed = Sampler.Start(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(30), probes);
            sampler = timed;
            clock.Restart();

            Step("bind + listen(5)", () =>
            {
                port = Sockets.SeedPort.Bind(listener, IPAddress.Loopback, preferredPort).Port;
                listener.Listen(5);
            });
            Step("connect()", () =>
            {
                client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(client);
                client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                lock (clientPorts)
                {
                    clientPorts.Add(client.LocalPort());
                }
                client.Connect(listener.LocalEndPoint!);
            });
            Step("accept()", () => sockets.Add(connection = listener.Accept()));
            Step("write + read", () =>
            {
                client!.Send("hello\r\n"u8);
                connection!.Receive(buffer);
                connection.Send(buffer.AsSpan(0, 7));
                client.Receive(buffer);
            });
            Step(LifecycleResult.ClientClose, () => client!.Close());
            Step(LifecycleResult.ServerClose, () =>
            {
                if (connection!.Receive(buffer) != 0)
                {
                    throw new InvalidOperationException("expected end of file after the client closed");
                }
                connection.Close();
            });
            Step("listener close()", () => listener.Close());
            var series = sampler.Stop();
            var samples = new List<LifecycleSample>();
            for (int row = 0; row < series.Count; row++)
            {
                foreach (var probe in probes)
                {
                    int count = (int)series[probe.Name][row];
                    if (count > 0)
                    {
                        samples.Add(new LifecycleSample(series[SampledSeries.Time][row], probe.Name, count));
                    }
                }
            }
            return new LifecycleResult(port, steps, samples);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Dispose();
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Analysis;
using NetIpc.Proc;
using NetIpc.Sockets;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace NetIpc.Experiments;

/// <summary>One call of the seed's flow and when it was made.</summary>
public sealed record LifecycleStep(double TimeMs, string Call);

/// <summary>How many of the experiment's sockets were in one state at one moment.</summary>
public sealed record LifecycleSample(double TimeMs, string State, int Count);

/// <summary>The seed's flow, call by call, with the states the kernel reported in between.</summary>
public sealed record LifecycleResult(int Port, IReadOnlyList<LifecycleStep> Steps, IReadOnlyList<LifecycleSample> Samples)
{
    public DataFrame StepsFrame() => new(
        new DoubleDataFrameColumn("time_ms", Steps.Select(s => s.TimeMs)),
        new StringDataFrameColumn("call", Steps.Select(s => s.Call)));

    /// <summary>Sockets per state over time, one line per state, the calls marked along the top.</summary>
    public GenericChart Chart()
    {
        var states = Samples.Select(s => s.State).Distinct().ToList();
        var times = Samples.Select(s => s.TimeMs).Distinct().Order().ToList();
        var lines = states.Select(state =>
        {
            var counts = Samples.Where(s => s.State == state).ToDictionary(s => s.TimeMs, s => s.Count);
            return Plotly.NET.CSharp.Chart.Line<double, int, string>(x: times, y: times.Select(t => counts.GetValueOrDefault(t)), Name: state, ShowMarkers: false);
        }).ToList();
        int top = Samples.Count == 0 ? 1 : Samples.Max(s => s.Count) + 1;
        lines.Add(Plotly.NET.CSharp.Chart.Point<double, int, string>(
            x: Steps.Select(s => s.TimeMs), y: Steps.Select(_ => top), Name: "calls", MultiText: Steps.Select(s => s.Call).ToList(),
            TextPosition: StyleParam.TextPosition.TopCenter));
        return Plotly.NET.CSharp.Chart.Combine(lines)
            .WithTitle($"The seed's flow on port {Port}: the kernel's TCP states between the calls")
            .WithXAxisStyle<double, int, string>(TitleText: "time (ms)")
            .WithYAxisStyle<double, int, string>(TitleText: "sockets in the state")
            .WithSize(1000, 480);
    }
}

public static partial class Experiments
{
    /// <summary>
    /// socket → bind → listen; client connect; accept; write and read both ways; the client closes, the
    /// server reads end-of-file and closes — with <paramref name="pause"/> between calls while a sampler
    /// counts the sockets of the port in each state. Everything is closed before it returns; the client's
    /// TIME_WAIT stays in the kernel (owned by no file) for 60 s, as it should. The server takes the seed's
    /// port when the kernel allows; <paramref name="preferredPort"/> 0 keeps it off 9501 (tests).
    /// </summary>
    public static LifecycleResult Lifecycle(TimeSpan? pause = null, int preferredPort = Sockets.SeedPort.Number)
    {
        var wait = pause ?? TimeSpan.FromMilliseconds(60);
        var clock = Stopwatch.StartNew();
        var steps = new List<LifecycleStep>();
        var sockets = new List<Socket>();
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sockets.Add(listener);
        void Step(string call, Action action)
        {
            action();
            steps.Add(new LifecycleStep(Math.Round(clock.Elapsed.TotalMilliseconds, 1), call));
            Thread.Sleep(wait);
        }
        try
        {
            int port = 0;
            Socket? client = null, connection = null;
            var buffer = new byte[64];
            var clientPorts = new HashSet<int>();
            // A thread of the sampler's own, not the thread pool: a busy pool would starve a timer.
            bool Ours(TcpSocketEntry e) => port != 0 && ((e.State == TcpState.Listen && e.Local.Port == port)
                || (e.Local.Port == port && clientPorts.Contains(e.Remote.Port)) || (clientPorts.Contains(e.Local.Port) && e.Remote.Port == port));
            var probes = Enum.GetValues<TcpState>().Select(state =>
                new Probe(SocketTable.SsStateName(state), snapshot => snapshot.Tcp.Count(e => e.State == state && Ours(e)))).ToList();
            using var sampler = Sampler.Start(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(30), probes);
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
                clientPorts.Add(((IPEndPoint)client.LocalEndPoint!).Port);
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
            Step("client close()", () => client!.Close());
            Step("server read() = 0, close()", () =>
            {
                if (connection!.Receive(buffer) != 0)
                {
                    throw new InvalidOperationException("expected end of file after the client closed");
                }
                connection.Close();
            });
            Step("listener close()", () => listener.Close());
            var frame = sampler.Stop();
            var samples = new List<LifecycleSample>();
            for (int row = 0; row < frame.Rows.Count; row++)
            {
                foreach (var probe in probes)
                {
                    int count = (int)(double)frame[probe.Name][row];
                    if (count > 0)
                    {
                        samples.Add(new LifecycleSample((double)frame["time_ms"][row], probe.Name, count));
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

    /// <summary>
    /// <paramref name="listeners"/> sockets bound to one port with SO_REUSEPORT, <paramref name="connections"/>
    /// clients connecting to it: how many connections the kernel handed to each listener.
    /// </summary>
    public static ReusePortResult ReusePort(int listeners, int connections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(listeners, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(connections, 1000);
        var sockets = new List<Socket>();
        try
        {
            int port = 0;
            var group = new List<Socket>();
            for (int i = 0; i < listeners; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(s);
                group.Add(s);
                s.SetRawSocketOption(1, 15, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEPORT only
                s.Bind(new IPEndPoint(IPAddress.Loopback, port));
                port = ((IPEndPoint)s.LocalEndPoint!).Port;
                s.Listen(connections);
            }
            for (int i = 0; i < connections; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(client);
                client.Connect(new IPEndPoint(IPAddress.Loopback, port));
            }
            // Each listener's accept queue now holds its share; the table says how many (rx_queue of each LISTEN line).
            var table = ProcNet.Self.Tcp();
            var inodes = group.Select(Sockets.Descriptor.InodeOf).ToList();
            var counts = inodes.Select(inode => (int)(table.FirstOrDefault(e => e.Inode == inode)?.RxQueue ?? 0)).ToList();
            return new ReusePortResult(port, connections, counts);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Abort();
            }
        }
    }
}

/// <summary>How SO_REUSEPORT spread the connections: accept-queue length of each listener on the shared port.</summary>
public sealed record ReusePortResult(int Port, int Connections, IReadOnlyList<int> PerListener)
{
    public GenericChart Chart() =>
        Plotly.NET.CSharp.Chart.Column<int, string, string>(values: PerListener, Keys: PerListener.Select((_, i) => $"listener {i + 1}").ToList(), Name: "connections")
            .WithTitle($"{Connections} connections to port {Port}, shared by {PerListener.Count} SO_REUSEPORT listeners")
            .WithYAxisStyle<int, string, string>(TitleText: "connections in its accept queue");
}

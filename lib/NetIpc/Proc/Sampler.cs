using System.Diagnostics;

namespace NetIpc.Proc;

/// <summary>What one sample reads: the tables and counters of a namespace, each read at most once per tick.</summary>
public sealed class ProcSnapshot(ProcNet net)
{
    private TcpTable? tcp;
    private UdpTable? udp;
    private UnixTable? unix;
    private NetCounters? counters;

    public TcpTable Tcp => tcp ??= net.TcpAll();

    public UdpTable Udp => udp ??= net.UdpAll();

    public UnixTable Unix => unix ??= net.Unix();

    public NetCounters Counters => counters ??= net.Counters();
}

/// <summary>A named number read from a snapshot, one column of the sampled series.</summary>
public sealed record Probe(string Name, Func<ProcSnapshot, double> Read)
{
    /// <summary>A counter of /proc/net/snmp or netstat, e.g. "TcpExt.ListenOverflows".</summary>
    public static Probe Counter(string name) => new(name, s => s.Counters[name]);

    /// <summary>How many TCP sockets are in a state.</summary>
    public static Probe TcpStateCount(KernelTcpState state, int? port = null) =>
        new(port is null ? state.ToString() : $"{state} :{port}",
            s => s.Tcp.Count(e => e.State == state && (port is null || e.Local.Port == port || e.Remote.Port == port)));

    /// <summary>The accept-queue length: rx_queue on the LISTEN line of a port.</summary>
    public static Probe AcceptQueue(int port) =>
        new($"accept queue :{port}", s => s.Tcp.Where(e => e.State == KernelTcpState.Listen && e.Local.Port == port).Sum(e => (double)e.RxQueue));

    /// <summary>The drops column of the UDP socket bound to a port.</summary>
    public static Probe UdpDrops(int localPort) =>
        new($"udp drops :{localPort}", s => s.Udp.Where(e => e.Local.Port == localPort).Sum(e => (double)e.Drops));
}

/// <summary>
/// What a <see cref="Sampler"/> read: columns named "time_ms" and after each probe, one value per sample.
/// </summary>
public sealed class SampledSeries
{
    public const string Time = "time_ms";

    private readonly Dictionary<string, IReadOnlyList<double>> columns = [];

    public SampledSeries(IReadOnlyList<double> times, IReadOnlyList<string> probeNames, IReadOnlyList<double[]> rows)
    {
        columns[Time] = times;
        for (int p = 0; p < probeNames.Count; p++)
        {
            columns[probeNames[p]] = rows.Select(r => r[p]).ToList();
        }
        Columns = [Time, .. probeNames];
        Count = times.Count;
    }

    /// <summary>"time_ms", then the probes' names in the order they were given.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>How many samples were taken.</summary>
    public int Count { get; }

    public IReadOnlyList<double> this[string column] => columns.TryGetValue(column, out var values) ? values
        : throw new KeyNotFoundException($"no column '{column}'; the series has {string.Join(", ", Columns)}");
}

/// <summary>
/// Samples chosen probes every few milliseconds on a background thread for a bounded time, so a
/// chart shows what the kernel reported while an experiment ran, not what the code assumed.
/// </summary>
public sealed class Sampler : IDisposable
{
    private readonly ProcNet net;
    private readonly IReadOnlyList<Probe> probes;
    private readonly TimeSpan every;
    private readonly TimeSpan limit;
    private readonly List<double> times = [];
    private readonly List<double[]> values = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;
    private readonly Stopwatch clock = new();
    private readonly Lock gate = new();
    private Exception? failure;
    private bool disposed;

    private Sampler(ProcNet net, IReadOnlyList<Probe> probes, TimeSpan every, TimeSpan limit)
    {
        if (probes.Count == 0)
        {
            throw new ArgumentException("give the sampler at least one probe", nameof(probes));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(every, TimeSpan.FromMilliseconds(1), nameof(every));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, TimeSpan.FromMinutes(5), nameof(limit));
        this.net = net;
        this.probes = probes;
        this.every = every;
        this.limit = limit;
        thread = new Thread(Loop) { IsBackground = true, Name = "proc sampler" };
    }

    /// <summary>Starts sampling now; <see cref="Stop"/> ends it, or it ends by itself after <paramref name="limit"/>.</summary>
    public static Sampler Start(TimeSpan every, TimeSpan limit, IEnumerable<Probe> probes, ProcNet? net = null)
    {
        var sampler = new Sampler(net ?? ProcNet.Self, probes.ToList(), every, limit);
        sampler.clock.Start();
        sampler.thread.Start();
        return sampler;
    }

    /// <summary>Samples for <paramref name="duration"/> on the calling thread's behalf and returns the series.</summary>
    public static SampledSeries Run(TimeSpan every, TimeSpan duration, params Probe[] probes)
    {
        using var sampler = Start(every, duration, probes);
        sampler.thread.Join();
        return sampler.Stop();
    }

    /// <summary>Ends sampling and returns one row per sample: time_ms, then one column per probe.</summary>
    public SampledSeries Stop()
    {
        stop.Cancel();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"sampling {net.Path} failed: {failure.Message}", failure);
        }
        lock (gate)
        {
            return new SampledSeries(times.ToList(), probes.Select(p => p.Name).ToList(), values.ToList());
        }
    }

    /// <summary>
    /// Takes one sample now, on the calling thread, between the timed ones: an experiment that must not miss
    /// a state (its sampler thread may not be scheduled for a while on a busy machine) samples after each step.
    /// </summary>
    public void SampleNow()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Sample();
    }

    private void Sample()
    {
        // Taken under the lock with its time, so the rows stay in time order whichever thread adds them.
        lock (gate)
        {
            var snapshot = new ProcSnapshot(net);
            double t = clock.Elapsed.TotalMilliseconds;
            var row = probes.Select(p => p.Read(snapshot)).ToArray();
            times.Add(Math.Round(t, 1));
            values.Add(row);
        }
    }

    private void Loop()
    {
        try
        {
            for (int tick = 1; !stop.IsCancellationRequested && clock.Elapsed <= limit; tick++)
            {
                Sample();
                var next = every * tick - clock.Elapsed;
                if (next > TimeSpan.Zero)
                {
                    stop.Token.WaitHandle.WaitOne(next);
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            stop.Cancel();
            thread.Join();
            stop.Dispose();
        }
    }
}

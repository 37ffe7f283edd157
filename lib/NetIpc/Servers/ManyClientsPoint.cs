namespace NetIpc.Servers;

/// <summary>
/// One design at one number of clients over several runs: each figure is the median of the runs, with the lowest
/// and highest beside it.
/// </summary>
public sealed record ManyClientsPoint(ServerDesign Design, int Clients, int RoundTripsPerClient, IReadOnlyList<ManyClientsRun> Runs)
{
    public double MedianMicroseconds => Median(r => r.MedianMicroseconds);

    public double MinMedianMicroseconds => Runs.Min(r => r.MedianMicroseconds);

    public double MaxMedianMicroseconds => Runs.Max(r => r.MedianMicroseconds);

    public double P99Microseconds => Median(r => r.P99Microseconds);

    public double MinP99Microseconds => Runs.Min(r => r.P99Microseconds);

    public double MaxP99Microseconds => Runs.Max(r => r.P99Microseconds);

    public double RoundTripsPerSecond => Median(r => r.RoundTripsPerSecond);

    /// <summary>Growth of the process's VmRSS from before the server to the peak, per connection (kB).</summary>
    public double ResidentKbPerConnection => Median(ResidentPerConnection);

    public double MinResidentKbPerConnection => Runs.Min(ResidentPerConnection);

    public double MaxResidentKbPerConnection => Runs.Max(ResidentPerConnection);

    /// <summary>Growth of the machine's KernelStack per connection (kB): 16 kB for every thread started on x86-64.</summary>
    public double KernelStackKbPerConnection => Median(KernelStackPerConnection);

    public double MinKernelStackKbPerConnection => Runs.Min(KernelStackPerConnection);

    public double MaxKernelStackKbPerConnection => Runs.Max(KernelStackPerConnection);

    /// <summary>Growth of sockstat's TCP "mem" (pages, machine-wide) from before to the peak.</summary>
    public double TcpPagesAdded => Median(r => r.TcpPagesAtPeak - r.TcpPagesBefore);

    public double ThreadsAdded => Median(r => r.ThreadsAdded);

    public int MinThreadsAdded => Runs.Min(r => r.ThreadsAdded);

    public int MaxThreadsAdded => Runs.Max(r => r.ThreadsAdded);

    public int MinServerThreads => Runs.Min(r => r.ServerThreadsAtPeak);

    public int MaxServerThreads => Runs.Max(r => r.ServerThreadsAtPeak);

    public int EchoErrors => Runs.Sum(r => r.EchoErrors);

    private double ResidentPerConnection(ManyClientsRun r) => (double)(r.ResidentKbAtPeak - r.ResidentKbBefore) / Clients;

    private double KernelStackPerConnection(ManyClientsRun r) => (double)(r.KernelStackKbAtPeak - r.KernelStackKbBefore) / Clients;

    private double Median(Func<ManyClientsRun, double> value) => Stats.Median(Runs.Select(value));
}

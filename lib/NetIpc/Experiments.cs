using NetIpc.Hosts;
using NetIpc.Isolation;
using NetIpc.Performance;
using NetIpc.Servers;
using NetIpc.SocketTables;
using NetIpc.Tcp;
using NetIpc.Udp;
using NetIpc.Unix;

namespace NetIpc;

/// <summary>
/// The experiments the chapters call by name. Each lives in a type of its own (<c>…Experiment.cs</c> in
/// this folder) with its own helpers; this class only hands the call on, so the chapters' calls stay as
/// they are. The isolated experiments are static fields of those types (found there by reflection, see
/// <see cref="IsolatedExperiment.All"/>); the properties here are the same objects.
/// </summary>
public static class Experiments
{
    /// <inheritdoc cref="AcceptQueueExperiment.Run"/>
    public static AcceptQueueResult AcceptQueue(int backlog, int clients, int? somaxconn = null) =>
        AcceptQueueExperiment.Run(backlog, clients, somaxconn);

    /// <inheritdoc cref="AcceptQueueExperiment.AcceptQueueUnderSomaxconn"/>
    public static IsolatedExperiment<(int Backlog, int Clients, int Somaxconn), AcceptQueueResult> AcceptQueueUnderSomaxconn =>
        AcceptQueueExperiment.AcceptQueueUnderSomaxconn;

    /// <inheritdoc cref="SynResendsExperiment.Run"/>
    public static SynResendsResult SynResends(TimeSpan? watch = null) =>
        SynResendsExperiment.Run(watch ?? TimeSpan.FromSeconds(5.6));

    /// <inheritdoc cref="AcceptOverflowExperiment.Run"/>
    public static AcceptOverflowResult AcceptOverflow(int backlog = 1, bool abortOnOverflow = false) =>
        AcceptOverflowExperiment.Run(backlog, abortOnOverflow);

    /// <summary>The accept-overflow experiment itself, run where this machine allows.</summary>
    public static IsolatedExperiment<(int Backlog, bool AbortOnOverflow), AcceptOverflowResult> AcceptOverflowRun =>
        AcceptOverflowExperiment.AcceptOverflowRun;

    /// <inheritdoc cref="SynQueueExperiment.Run"/>
    public static SynQueueResult SynQueue(int backlog, int syns, bool syncookies, TimeSpan? duration = null) =>
        SynQueueExperiment.Run(backlog, syns, syncookies, duration);

    /// <inheritdoc cref="SynQueueExperiment.WithAndWithoutCookies"/>
    public static IReadOnlyList<SynQueueResult> SynQueueWithAndWithoutCookies(int backlog, int syns) =>
        SynQueueExperiment.WithAndWithoutCookies(backlog, syns);

    /// <inheritdoc cref="LifecycleExperiment.Run"/>
    public static LifecycleResult Lifecycle(TimeSpan? pause = null, int preferredPort = Sockets.SeedPort.Number) =>
        LifecycleExperiment.Run(pause, preferredPort);

    /// <inheritdoc cref="FinAckExperiment.Run"/>
    public static FinAckResult FinAck() => FinAckExperiment.Run();

    /// <summary>The seed's client and server traced in a namespace of their own: every call of both sides and every segment between them.</summary>
    public static SeedFlowTrace SeedFlow(string message = "hello") => SeedFlowTraceExperiment.Trace.Run(message);

    /// <summary>A connection the server accepts <paramref name="delayMs"/> after the client's connect() returned: complete before accept(), taken at once.</summary>
    public static AcceptTimingResult AcceptLater(int delayMs = 300) => AcceptTimingExperiment.Run(TimeSpan.FromMilliseconds(delayMs));

    /// <summary>10: a TCP and a UDP echo server answering the same clients — the descriptors and calls each needs.</summary>
    public static ServerDescriptorsResult ServerDescriptors(int clients = 3) => ServerDescriptorsExperiment.Run(clients);

    /// <summary>05: socket()'s type argument — SOCK_STREAM, SOCK_DGRAM, SOCK_RAW — and SOCK_NONBLOCK, a flag ORed into it (own namespace: a raw socket needs CAP_NET_RAW).</summary>
    public static SocketTypesResult SocketTypes() => SocketTypesExperiment.SocketTypesRun.Run(0);

    /// <inheritdoc cref="ReusePortRestartExperiment.OverTimeWait"/>
    public static ReusePortRestartResult ReusePortRestart() => ReusePortRestartExperiment.OverTimeWait();

    /// <inheritdoc cref="ReusePortRestartExperiment.SharedByAnotherProcess"/>
    public static PortSharedResult ReusePortSharedByAnotherProcess(int connections = 40) => ReusePortRestartExperiment.SharedByAnotherProcess(connections);

    /// <inheritdoc cref="ReusePortExperiment.Run"/>
    public static ReusePortResult ReusePort(int listeners, int connections) => ReusePortExperiment.Run(listeners, connections);

    /// <inheritdoc cref="BuffersExperiment.Run"/>
    public static BuffersResult Buffers(int? receiveBuffer = null, int? sendBuffer = null, bool nonBlocking = false, TimeSpan? duration = null) =>
        BuffersExperiment.Run(receiveBuffer, sendBuffer, nonBlocking, duration);

    /// <inheritdoc cref="CloseExperiment.Run"/>
    public static CloseResult Close() => CloseExperiment.Run();

    /// <inheritdoc cref="AbortiveCloseExperiment.Run"/>
    public static AbortiveCloseResult AbortiveClose() => AbortiveCloseExperiment.Run();

    /// <summary>The abortive-close experiment itself, run where this machine allows.</summary>
    public static IsolatedExperiment<int, AbortiveCloseResult> AbortiveCloseRun => AbortiveCloseExperiment.AbortiveCloseRun;

    /// <inheritdoc cref="BoundariesExperiment.Run"/>
    public static BoundariesResult Boundaries() => BoundariesExperiment.Run();

    /// <summary>Messages over a stream: a short read, a short non-blocking write, and length-prefixed framing read back whole.</summary>
    public static FramingResult Framing() => FramingExperiment.Run();

    /// <inheritdoc cref="UdpDropsExperiment.Run"/>
    public static UdpDropsResult UdpDrops(int[] bursts, int[] receiveBuffers, int datagramSize = 512) =>
        UdpDropsExperiment.Run(bursts, receiveBuffers, datagramSize);

    /// <inheritdoc cref="UnixDatagramReliabilityExperiment.Run"/>
    public static UnixReliabilityResult UnixDatagramReliability(int burst = 400) => UnixDatagramReliabilityExperiment.Run(burst);

    /// <inheritdoc cref="DatagramOrderExperiment.OutOfOrder"/>
    public static int OutOfOrder(IReadOnlyList<int> arrivals) => DatagramOrderExperiment.OutOfOrder(arrivals);

    /// <inheritdoc cref="DatagramOrderExperiment.OverLoopback"/>
    public static int LoopbackOutOfOrder(int datagrams = 1000) => DatagramOrderExperiment.OverLoopback(datagrams);

    /// <inheritdoc cref="LossyPathExperiment.Run"/>
    public static LossyPathResult LossyPath(double lossPercent = 10, int datagrams = 300, int tcpBytes = 200_000, int seed = 1, double reorderPercent = 0) =>
        LossyPathExperiment.Run(lossPercent, datagrams, tcpBytes, seed, reorderPercent);

    /// <inheritdoc cref="TwoHostsExperiment.Run"/>
    public static TwoHostsResult TwoHosts(int roundTrips = 200) => TwoHostsExperiment.Run(roundTrips);

    /// <summary>The two-hosts experiment itself, run where this machine allows.</summary>
    public static IsolatedExperiment<int, TwoHostsResult> TwoHostsRun => TwoHostsExperiment.TwoHostsRun;

    /// <inheritdoc cref="ThroughputExperiment.Run"/>
    public static ThroughputResult Throughput(int[] messageSizes, TimeSpan? duration = null, int roundTrips = 200, int runs = 3) =>
        ThroughputExperiment.Run(messageSizes, duration, roundTrips, runs);

    /// <inheritdoc cref="ManyClientsExperiment.SharedPort"/>
    public static SharedPortResult SharedPort(int clients = 4) => ManyClientsExperiment.SharedPort(clients);

    /// <inheritdoc cref="ManyClientsExperiment.Run"/>
    public static ManyClientsResult ManyClients(int[] clients, int runs = 3, int messageSize = 32, TimeSpan? budget = null) =>
        ManyClientsExperiment.Run(clients, runs, messageSize, budget ?? TimeSpan.FromSeconds(40));

    /// <inheritdoc cref="ThroughputExperiment.TcpLoopbackMegabytesPerSecond"/>
    public static double TcpLoopbackMegabytesPerSecond(int writeSize, TimeSpan duration) =>
        ThroughputExperiment.TcpLoopbackMegabytesPerSecond(writeSize, duration);

    /// <inheritdoc cref="ThroughputExperiment.TcpLoopbackRounds"/>
    public static IReadOnlyList<double> TcpLoopbackRounds(int writeSize, TimeSpan duration, int rounds = 3) =>
        ThroughputExperiment.TcpLoopbackRounds(writeSize, duration, rounds);

    /// <inheritdoc cref="ThroughputExperiment.UdpLoopback"/>
    public static (double MegabytesPerSecond, double LostPercent) UdpLoopback(int datagramSize, TimeSpan duration) =>
        ThroughputExperiment.UdpLoopback(datagramSize, duration);
}

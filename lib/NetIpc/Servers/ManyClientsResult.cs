namespace NetIpc.Servers;

/// <summary>
/// Both designs at each number of clients. <see cref="LimitSentence"/> says how the descriptor limit set the
/// largest number of clients; <see cref="RunsPerPoint"/> how many runs each point is the median of.
/// </summary>
public sealed record ManyClientsResult(
    IReadOnlyList<ManyClientsPoint> Points,
    int MessageSize,
    int PageSize,
    int ProcessorCount,
    long? OpenFilesLimit,
    int DescriptorsOpenAtStart,
    int RequestedTopClients,
    int TopClients,
    string LimitSentence,
    int RunsPlanned,
    double Seconds)
{
    /// <summary>What thread per client names its threads; comm (15 characters at most) shows it in /proc/self/task.</summary>
    public const string ServerThreadName = "per-client echo";

    /// <summary>The runtime's thread that waits in epoll_wait for the async sockets (SocketAsyncEngine), one per engine.</summary>
    public const string SocketEngineThreadName = ".NET Sockets";

    public int RunsPerPoint => Points.Count == 0 ? 0 : Points.Min(p => p.Runs.Count);

    public IReadOnlyList<int> ClientCounts => [.. Points.Select(p => p.Clients).Distinct().Order()];

    public ManyClientsPoint At(ServerDesign design, int clients) => Points.Single(p => p.Design == design && p.Clients == clients);
}

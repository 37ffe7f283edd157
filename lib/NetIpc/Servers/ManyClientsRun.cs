namespace NetIpc.Servers;

/// <summary>
/// One run of one server design with N clients, each taken at three moments: before the server existed, at the
/// peak (every client connected, every round trip done, every connection still open) and after all was closed.
/// Memory is in kB as the kernel prints it; TCP pages are /proc/net/sockstat's "mem", machine-wide.
/// </summary>
public sealed record ManyClientsRun(
    int RoundTrips,
    double MedianMicroseconds,
    double P99Microseconds,
    double RoundTripsPerSecond,
    int EchoErrors,
    long ResidentKbBefore,
    long ResidentKbAtPeak,
    long KernelStackKbBefore,
    long KernelStackKbAtPeak,
    long TcpPagesBefore,
    long TcpPagesAtPeak,
    int ThreadsBefore,
    int ThreadsAtPeak,
    int ServerThreadsAtPeak,
    int PoolWorkersAtPeak,
    int SocketEngineThreads,
    int EpollInstancesWithSockets,
    int ServerSocketsInEpoll,
    int ClientSocketsInEpoll,
    IReadOnlyList<uint> ServerSocketEpollEvents,
    IReadOnlyList<ThreadWait> ThreadWaitsAtPeak,
    int SocketDescriptorsBefore,
    int SocketDescriptorsAtPeak,
    int SocketDescriptorsAfter,
    int TimeWaitLeft)
{
    public int ThreadsAdded => ThreadsAtPeak - ThreadsBefore;
}

/// <summary>How many threads of one name slept in one kernel function (wchan) at the peak.</summary>
public sealed record ThreadWait(string Name, string WaitChannel, int Count);

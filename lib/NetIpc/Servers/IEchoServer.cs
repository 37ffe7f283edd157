namespace NetIpc.Servers;

/// <summary>One of the two server designs, as the harness drives it: started on a listener, watched, stopped.</summary>
internal interface IEchoServer
{
    int Accepted { get; }

    /// <summary>Why the server cannot go on (a thread that would not start), or null.</summary>
    string? Failure { get; }

    IReadOnlyList<int> ConnectionFds();

    /// <summary>Waits for every handler to end (the clients have gone); false if one was still running at the limit.</summary>
    bool Stop(TimeSpan limit);
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Hosts;

/// <summary>One "machine": a namespace with its address, link address, neighbours and TCP table.</summary>
public sealed record HostView(string Name, string Address, string Interface, string LinkAddress, IReadOnlyList<ArpEntry> Neighbours, IReadOnlyList<TcpSocketEntry> Tcp);

/// <summary>What <see cref="Experiments.TwoHosts"/> saw on both hosts and from this process's own namespace.</summary>
/// <param name="Binding">The weak host model, tried across the cable .</param>
public sealed record TwoHostsResult(HostView Client, HostView Server, string Sent, string Reply, double MedianRoundTripMicroseconds,
    int HostLinesForTheirAddresses, IReadOnlyList<ProofCheck> Checks, IReadOnlyList<BindingAttempt> Binding);

/// <summary>
/// One listener in the server host and one connect() from the client host across the cable.
/// <paramref name="Device"/> is the interface the listener was tied to with SO_BINDTODEVICE, or null;
/// <paramref name="Outcome"/> is "connected", "ECONNREFUSED", or what else happened.
/// </summary>
public sealed record BindingAttempt(string Listener, string? Device, string ConnectTo, string Outcome);

/// <summary>Two network namespaces joined by a veth cable: the seed's two machines, on one.</summary>
internal static class TwoHostsExperiment
{
    /// <summary>
    /// The seed's "processes on different machines", for real on one machine: two network
    /// namespaces, each with its own stack, joined by a veth pair (a virtual cable), 10.12.0.1 and
    /// 10.12.0.2. A server listens in one, a client connects from the other, they exchange messages, and
    /// each side's /proc/net is read from inside. Both namespaces — and the cable — vanish on return.
    /// </summary>
    public static TwoHostsResult Run(int roundTrips) => TwoHostsRun.Run(roundTrips);

    public static readonly IsolatedExperiment<int, TwoHostsResult> TwoHostsRun = new(
        "two-hosts", "12", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair], ConnectAcrossTheCable);

    private static TwoHostsResult ConnectAcrossTheCable(int roundTrips) => ConnectAcrossTheCable(roundTrips, TwoHostsBounds.Default, null);

    /// <param name="bounds">How long each step may wait for the other host.</param>
    /// <param name="between">
    /// Called with both hosts once the cable is up and again once the client is connected, so a test can break
    /// the wire (a route that swallows replies) where a real network would fail.
    /// </param>
    internal static TwoHostsResult ConnectAcrossTheCable(int roundTrips, TwoHostsBounds bounds, Action<TwoHostsStep, NamespaceHost, NamespaceHost>? between)
    {
        var client = new NamespaceHost("client host");
        NamespaceHost? server = null;
        TwoHostsResult result;
        (string Namespace, int Thread)[] hosts;
        try
        {
            server = new NamespaceHost("server host");
            hosts = [(NamespaceOf(client.ThreadId), client.ThreadId), (NamespaceOf(server.ThreadId), server.ThreadId)];
            result = Converse(client, server, roundTrips, bounds, between);
        }
        finally
        {
            server?.Dispose();
            client.Dispose();
        }
        return result with { Checks = result.Checks.Append(NamespacesLeft(hosts)).ToList().RequireAll() };
    }

    /// <summary>The network namespace a thread of this process is in, as its /proc link names it ("net:[4026532…]").</summary>
    private static string NamespaceOf(int threadId) =>
        new FileInfo($"/proc/self/task/{threadId}/ns/net").LinkTarget ?? throw new InvalidOperationException($"thread {threadId} has no ns/net link");

    /// <summary>
    /// Once the hosts are disposed: their threads have ended, and no thread this process can see on the machine is
    /// still in either namespace. With the experiment's sockets closed as well nothing holds them any more, and the
    /// kernel frees a namespace nothing holds, with every device in it (cleanup_net): the cable goes too.
    /// </summary>
    internal static ProofCheck NamespacesLeft(IReadOnlyList<(string Namespace, int Thread)> hosts)
    {
        // A thread that has returned may still be leaving the kernel for a moment.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (hosts.Any(h => Directory.Exists($"/proc/self/task/{h.Thread}")) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }
        var running = hosts.Where(h => Directory.Exists($"/proc/self/task/{h.Thread}")).Select(h => h.Thread).ToList();
        int looked = 0;
        var inside = new List<string>();
        foreach (var task in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
                     .SelectMany(d => { try { return Directory.EnumerateDirectories(Path.Combine(d, "task")).ToList(); } catch (IOException) { return []; } catch (UnauthorizedAccessException) { return []; } }))
        {
            string? ns;
            try
            {
                ns = new FileInfo(Path.Combine(task, "ns", "net")).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // another user's process, or one that just ended
            }
            looked++;
            if (ns is not null && hosts.Any(h => h.Namespace == ns))
            {
                inside.Add(task);
            }
        }
        return new ProofCheck("when the experiment returned, both namespaces' threads had ended and no thread was left in either namespace",
            running.Count == 0 && inside.Count == 0,
            $"{string.Join(" and ", hosts.Select(h => $"{h.Namespace} (thread {h.Thread})"))}: " +
            (running.Count == 0 ? "both threads ended" : $"thread {string.Join(", ", running)} still running") +
            $"; {inside.Count} of the {looked} threads readable on this machine in either namespace");
    }

    private static TwoHostsResult Converse(NamespaceHost client, NamespaceHost server, int roundTrips, TwoHostsBounds bounds, Action<TwoHostsStep, NamespaceHost, NamespaceHost>? between)
    {
        // A veth pair is created in one namespace and one end is moved to the other: a cable between them.
        client.Ip($"link add veth-client type veth peer name veth-server netns {server.ThreadId}");
        client.Ip("addr add 10.12.0.1/24 dev veth-client");
        client.Ip("link set veth-client up");
        server.Ip("addr add 10.12.0.2/24 dev veth-server");
        server.Ip("link set veth-server up");
        between?.Invoke(TwoHostsStep.Cabled, client, server);

        using var listener = server.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse("10.12.0.2"), Sockets.SeedPort.Number));
            s.Listen(5);
            return s;
        });
        using var connection = client.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
        // The kernel retries an unanswered SYN for about two minutes, and a blocking receive waits for ever:
        // every wait for the other host has its own bound, and running out of it names the wait.
        var serverAddress = new IPEndPoint(IPAddress.Parse("10.12.0.2"), Sockets.SeedPort.Number);
        using (var giveUp = new CancellationTokenSource(bounds.Connect))
        {
            try
            {
                connection.ConnectAsync(serverAddress, giveUp.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException e)
            {
                throw new TimeoutException($"the client host's connect to {serverAddress} got no answer within {Seconds(bounds.Connect)}", e);
            }
        }
        if (!listener.Poll(bounds.Receive, SelectMode.SelectRead))
        {
            throw new TimeoutException($"the server host's listener on {serverAddress} had no connection to accept within {Seconds(bounds.Receive)}");
        }
        using var accepted = listener.Accept();
        accepted.NoDelay = true;
        foreach (var end in new[] { connection, accepted })
        {
            end.ReceiveTimeout = end.SendTimeout = (int)bounds.Receive.TotalMilliseconds;
        }
        between?.Invoke(TwoHostsStep.Connected, client, server);

        const string sent = "hello from the other machine";
        Bounded("the client host sending its message", () => connection.Send(Encoding.ASCII.GetBytes(sent)));
        var buffer = new byte[256];
        int n = Bounded("the server host waiting for the client's message", () => accepted.Receive(buffer));
        Bounded("the server host sending its reply", () => accepted.Send(Encoding.ASCII.GetBytes("hello back, " + Encoding.ASCII.GetString(buffer, 0, n))));
        string reply = Encoding.ASCII.GetString(buffer, 0, Bounded("the client host waiting for the server's reply", () => connection.Receive(buffer)));

        var trips = new List<double>();
        for (int i = 0; i < roundTrips; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Bounded($"the client host sending round trip {i + 1}", () => connection.Send(buffer.AsSpan(0, 64)));
            BoundedAction($"the server host waiting for round trip {i + 1}", () => accepted.ReceiveExactly(buffer.AsSpan(0, 64)));
            Bounded($"the server host answering round trip {i + 1}", () => accepted.Send(buffer.AsSpan(0, 64)));
            BoundedAction($"the client host waiting for the answer to round trip {i + 1}", () => connection.ReceiveExactly(buffer.AsSpan(0, 64)));
            trips.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        // SO_RCVTIMEO and SO_SNDTIMEO end a blocked call with EAGAIN, which .NET reports as TimedOut.
        T Bounded<T>(string what, Func<T> wait)
        {
            try
            {
                return wait();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                throw new TimeoutException($"{what} gave up after {Seconds(bounds.Receive)}: the other host did not answer", e);
            }
        }
        void BoundedAction(string what, Action wait) => Bounded(what, () =>
        {
            wait();
            return 0;
        });

        HostView ViewFromInside(NamespaceHost host, string address, string device) => new(host.Name, address, device,
            // Not /sys/class/net: sysfs shows the namespace it was mounted in, the host's.
            System.Text.RegularExpressions.Regex.Match(host.IpOutput($"-o link show dev {device}"), "link/ether ([0-9a-f:]{17})").Groups[1].Value,
            host.Net.Arp(), host.Net.TcpAll());
        var clientView = ViewFromInside(client, "10.12.0.1", "veth-client");
        var serverView = ViewFromInside(server, "10.12.0.2", "veth-server");
        int hostLines = ProcNet.Self.TcpAll().Count(e => e.Local.Address.ToString().StartsWith("10.12.0.", StringComparison.Ordinal));
        // After the views, so the tables above show only the seed's one connection.
        var binding = WeakHost(client, server, bounds);

        var checks = new List<ProofCheck>
        {
            new("the message crossed from one stack to the other", reply == "hello back, " + sent, $"the client read \"{reply}\""),
            new("the client's table lists only the client's end", clientView.Tcp.Count == 1 && clientView.Tcp[0].Local.Address.ToString() == "10.12.0.1",
                string.Join(", ", clientView.Tcp.Select(e => $"{SocketTable.SsStateName(e.State)} {e.Local} → {e.Remote}"))),
            new("the server's table lists the listener and the server's end", serverView.Tcp.Count == 2 && serverView.Tcp.All(e => e.Local.Address.ToString() == "10.12.0.2"),
                string.Join(", ", serverView.Tcp.Select(e => $"{SocketTable.SsStateName(e.State)} {e.Local} → {e.Remote}"))),
            new("this process's own namespace sees neither", hostLines == 0, $"{hostLines} lines with a 10.12.0.x address in /proc/self/net/tcp"),
            new("each host learned the other's link address", clientView.Neighbours.Any(a => a.HardwareAddress == serverView.LinkAddress)
                && serverView.Neighbours.Any(a => a.HardwareAddress == clientView.LinkAddress),
                $"client knows {NeighbourList(clientView)}, its peer is at {serverView.LinkAddress}; server knows {NeighbourList(serverView)}, its peer is at {clientView.LinkAddress}"),
        };
        static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";
        static string NeighbourList(HostView h) => h.Neighbours.Count == 0 ? "no neighbour" : string.Join(", ", h.Neighbours.Select(n => $"{n.Address} at {n.HardwareAddress}"));
        return new TwoHostsResult(clientView, serverView, sent, reply, Stats.Median(trips), hostLines, checks.RequireAll(), binding);
    }

    /// <summary>
    /// Which card's packets reach a listener? The server host gets a second address, 10.12.9.2, on its loopback
    /// device, not on the cable, and the client host a route to it through 10.12.0.2. Then three listeners, each
    /// tried with a connect() across the cable: one bound to the loopback's address; one on 0.0.0.0 tied to lo with
    /// SO_BINDTODEVICE; one on 0.0.0.0 tied to veth-server. The outcomes are recorded as they come, not assumed.
    /// </summary>
    private static IReadOnlyList<BindingAttempt> WeakHost(NamespaceHost client, NamespaceHost server, TwoHostsBounds bounds)
    {
        server.Ip("addr add 10.12.9.2/32 dev lo");
        client.Ip("route add 10.12.9.2/32 via 10.12.0.2");
        const int SolSocket = 1, SoBindToDevice = 25; // <asm-generic/socket.h>
        BindingAttempt Attempt(string address, int port, string? device, string connectTo)
        {
            using var listener = server.Run(() =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                if (device is not null)
                {
                    s.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(device + "\0"));
                }
                s.Bind(new IPEndPoint(IPAddress.Parse(address), port));
                s.Listen(1);
                return s;
            });
            using var connection = client.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            using var giveUp = new CancellationTokenSource(bounds.Connect);
            string outcome;
            try
            {
                connection.ConnectAsync(new IPEndPoint(IPAddress.Parse(connectTo), port), giveUp.Token).AsTask().GetAwaiter().GetResult();
                outcome = "connected";
            }
            catch (SocketException e)
            {
                outcome = e.SocketErrorCode == SocketError.ConnectionRefused ? "ECONNREFUSED" : e.SocketErrorCode.ToString();
            }
            catch (OperationCanceledException)
            {
                outcome = $"no answer within {bounds.Connect.TotalSeconds:0.#} s";
            }
            return new BindingAttempt($"{address}:{port}", device, $"{connectTo}:{port}", outcome);
        }
        return
        [
            Attempt("10.12.9.2", 9502, null, "10.12.9.2"),
            Attempt("0.0.0.0", 9503, "lo", "10.12.0.2"),
            Attempt("0.0.0.0", 9504, "veth-server", "10.12.0.2"),
        ];
    }
}

/// <summary>How long <see cref="TwoHostsExperiment"/> waits for the other host: for the handshake, and for each message.</summary>
internal sealed record TwoHostsBounds(TimeSpan Connect, TimeSpan Receive)
{
    // Across a veth cable a handshake or a reply takes well under a millisecond; seconds mean nobody answers.
    public static TwoHostsBounds Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
}

/// <summary>The points at which <see cref="TwoHostsExperiment"/> hands both hosts to its caller.</summary>
internal enum TwoHostsStep
{
    Cabled,
    Connected,
}

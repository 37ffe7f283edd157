using System.Net;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>
/// One moment of the accept-queue experiment: after a client's connect, what the kernel reported. <see cref="Queued"/>
/// is the LISTEN line's rx_queue in /proc; <see cref="DiagQueued"/> and <see cref="DiagBacklog"/> are the same
/// listener's idiag_rqueue and idiag_wqueue from sock_diag, read right after (null in recordings made before).
/// </summary>
public sealed record AcceptQueueSample(int Clients, int Queued, int Established, int SynSent, int? DiagQueued = null, int? DiagBacklog = null);

/// <summary>
/// What <see cref="Experiments.AcceptQueue"/> measured. <see cref="PeakQueued"/> is the largest rx_queue the
/// LISTEN line showed; <see cref="StuckInSynSent"/> the clients whose SYN the listener dropped.
/// </summary>
public sealed record AcceptQueueResult(
    int Backlog, int? Somaxconn, int EffectiveBacklog, int Clients, int PeakQueued, int Established, int StuckInSynSent,
    long ListenOverflows, string Where, IReadOnlyList<AcceptQueueSample> Samples);

/// <summary>The accept queue: a listener that never accepts, and clients connecting one at a time.</summary>
internal static class AcceptQueueExperiment
{
    /// <summary>
    /// Listens with <paramref name="backlog"/> and never accepts; connects <paramref name="clients"/> clients
    /// one at a time and reads the LISTEN line's rx_queue after each. With <paramref name="somaxconn"/>,
    /// runs in a network namespace of its own with net.core.somaxconn lowered there only
    /// (<see cref="AcceptQueueUnderSomaxconn"/>).
    /// Everything opened is closed before it returns.
    /// </summary>
    public static AcceptQueueResult Run(int backlog, int clients, int? somaxconn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clients);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clients, 200);
        return somaxconn is null
            ? FillQueue(backlog, clients, null, ProcNet.Self, "this machine's network namespace")
            : AcceptQueueUnderSomaxconn.Run((backlog, clients, somaxconn.Value));
    }

    /// <summary>The accept queue with net.core.somaxconn lowered — in a network namespace of its own, so the machine's setting never changes.</summary>
    public static readonly IsolatedExperiment<(int Backlog, int Clients, int Somaxconn), AcceptQueueResult> AcceptQueueUnderSomaxconn = new(
        "accept-queue-somaxconn", "07", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.NetSysctl],
        a => NetworkNamespace.Run((net, _) =>
        {
            NetworkNamespace.BringLoopbackUp();
            // /proc/sys/net belongs to the network namespace of the thread that opens it: this one's.
            Sysctl.Write("net.core.somaxconn", a.Somaxconn);
            return FillQueue(a.Backlog, a.Clients, a.Somaxconn, net, $"a network namespace of its own, somaxconn = {a.Somaxconn}");
        }));

    private static AcceptQueueResult FillQueue(int backlog, int clients, int? somaxconnSet, ProcNet net, string where)
    {
        int somaxconn = Sysctl.ReadRequiredInt("net.core.somaxconn");
        var sockets = new List<Socket>();
        try
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(listener);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(backlog);
            int port = listener.LocalPort();
            var clientPorts = new HashSet<int>();
            var before = net.Counters();
            var samples = new List<AcceptQueueSample>();
            for (int i = 1; i <= clients; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                sockets.Add(client);
                // Bound first: .NET does not learn the local port of a non-blocking connect still in progress.
                client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                try
                {
                    client.Connect(listener.LocalEndPoint!);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                    // A non-blocking connect returns at once; the handshake goes on in the kernel.
                }
                clientPorts.Add(client.LocalPort());
                samples.Add(Settle(net, port, clientPorts, i));
            }
            var delta = before.DeltaTo(net.Counters());
            var last = samples[^1];
            return new AcceptQueueResult(backlog, somaxconnSet ?? somaxconn, Math.Min(backlog, somaxconn), clients,
                samples.Max(s => s.Queued), last.Established, last.SynSent, delta["TcpExt.ListenOverflows"], where, samples);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Abort();
            }
        }
    }

    // A loopback handshake takes microseconds; a dropped SYN is retried only after a second. So after
    // 30 ms with nothing moving, the client has either finished its handshake or been dropped. A client
    // in neither state would make the sample a snapshot of a moment in between: that waits, with a bound.
    private static AcceptQueueSample Settle(ProcNet net, int port, HashSet<int> clientPorts, int clients)
    {
        AcceptQueueSample ReadSample()
        {
            var table = net.Tcp();
            var mine = table.Where(e => clientPorts.Contains(e.Local.Port) && e.Remote.Port == port).ToList();
            // The same listener over netlink, the kernel filtering for LISTEN: the namespace of this thread, as /proc's.
            var diag = Diag.SockDiag.Listeners().FirstOrDefault(l => l.Socket.Local.Port == port);
            return new AcceptQueueSample(clients,
                (int)(table.FirstOrDefault(e => e.State == KernelTcpState.Listen && e.Local.Port == port)?.RxQueue ?? 0),
                mine.Count(e => e.State == KernelTcpState.Established), mine.Count(e => e.State == KernelTcpState.SynSent),
                (int?)diag?.AcceptQueue, (int?)diag?.Backlog);
        }
        var sample = ReadSample();
        var since = DateTime.UtcNow;
        Poll.Until(TimeSpan.FromSeconds(2), $"all {clients} clients ESTABLISHED or in SYN-SENT, unchanged for 30 ms", () =>
        {
            var next = ReadSample();
            if (next != sample || next.Established + next.SynSent != clients)
            {
                since = DateTime.UtcNow;
            }
            sample = next;
            return DateTime.UtcNow - since >= TimeSpan.FromMilliseconds(30);
        }, seen: () => $"{sample.Established} ESTABLISHED, {sample.SynSent} in SYN-SENT, {sample.Queued} queued", every: TimeSpan.FromMilliseconds(10));
        return sample;
    }
}

using System.Net;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>How SO_REUSEPORT spread the connections: accept-queue length of each listener on the shared port.</summary>
public sealed record ReusePortResult(int Port, int Connections, IReadOnlyList<int> PerListener)
{
    public ReusePortResult Require()
    {
        this.Checks().RequireAll();
        return this;
    }

}

/// <summary>Listeners sharing one port with SO_REUSEPORT, and how the kernel spreads connections over them.</summary>
internal static class ReusePortExperiment
{
    /// <summary>
    /// <paramref name="listeners"/> sockets bound to one port with SO_REUSEPORT, <paramref name="connections"/>
    /// clients connecting to it: how many connections the kernel handed to each listener.
    /// </summary>
    public static ReusePortResult Run(int listeners, int connections)
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
                // SO_REUSEPORT only: a socket created as ProtocolType.Tcp would get SO_REUSEADDR from .NET's Bind too.
                var s = ReusePortRestartExperiment.PlainTcp();
                sockets.Add(s);
                group.Add(s);
                ReusePortRestartExperiment.SetReusePort(s);
                s.Bind(new IPEndPoint(IPAddress.Loopback, port));
                port = s.LocalPort();
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

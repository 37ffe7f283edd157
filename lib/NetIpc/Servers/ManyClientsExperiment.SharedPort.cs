using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Servers;

/// <summary>Many clients on one listening port, before any is served: what accept() makes of each.</summary>
internal static partial class ManyClientsExperiment
{
    /// <summary>
    /// A listener and <paramref name="clients"/> clients, each connected and accepted in turn; then the TCP table's
    /// rows on the listener's port, joined to the processes that hold them.
    /// </summary>
    public static SharedPortResult SharedPort(int clients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clients, 100);
        var sockets = new List<Socket>();
        try
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
            sockets.Add(listener);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(clients);
            var endpoint = (IPEndPoint)listener.LocalEndPoint!;
            var accepted = new List<AcceptedSocket>();
            for (int i = 0; i < clients; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
                sockets.Add(client);
                client.Connect(endpoint);
                var connection = listener.Accept();
                sockets.Add(connection);
                accepted.Add(new AcceptedSocket(Descriptor.Of(connection), Descriptor.InodeOf(connection), ((IPEndPoint)connection.RemoteEndPoint!).Port));
            }
            var rows = SocketTable.Tcp(ProcNet.OfCallingThreadsNamespace).Involving(endpoint.Port).Where(r => r.Netid == "tcp").ToList();
            return new SharedPortResult(Environment.ProcessId, endpoint.Port, Descriptor.Of(listener), Descriptor.InodeOf(listener), accepted, rows);
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

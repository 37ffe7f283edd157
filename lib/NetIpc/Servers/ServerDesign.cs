using System.Text.Json.Serialization;

namespace NetIpc.Servers;

/// <summary>The two servers measured side by side.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServerDesign>))]
public enum ServerDesign
{
    /// <summary>Blocking sockets: one accept loop, and a thread of its own for every accepted connection.</summary>
    ThreadPerClient,

    /// <summary>.NET's async sockets: AcceptAsync, ReceiveAsync, SendAsync — epoll underneath, no thread per connection.</summary>
    EventLoop,
}

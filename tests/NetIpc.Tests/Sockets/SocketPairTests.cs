using NetIpc.Commands;
using NetIpc.Sockets;

namespace NetIpc.Tests.Sockets;

public class SocketPairTests
{
    [LinuxFact]
    public void A_child_process_inherits_neither_end_of_a_pair()
    {
        var (first, second) = SocketPair.Create();
        using (first)
        using (second)
        {
            ulong inode = Descriptor.InodeOf(first);
            // The shell lists its own descriptors: an inherited end would show as socket:[inode].
            string listing = ExternalCommand.Run("sh", "-c", "ls -l /proc/$$/fd").EnsureSuccess();
            Assert.DoesNotContain($"socket:[{inode}]", listing);
            Assert.DoesNotContain($"socket:[{Descriptor.InodeOf(second)}]", listing);
        }
    }

    [LinuxFact]
    public void The_two_ends_are_connected()
    {
        var (first, second) = SocketPair.Create(System.Net.Sockets.SocketType.Dgram);
        using (first)
        using (second)
        {
            first.Send("ping"u8);
            var buffer = new byte[8];
            Assert.Equal(4, second.Receive(buffer));
        }
    }
}

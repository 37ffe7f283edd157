using System.Buffers.Binary;
using System.Net.Sockets;
using NetIpc.Native;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>
/// Messages over a byte stream, measured: how much one read() and one non-blocking write() really moved,
/// and three messages sent with a length prefix, read back whole with read-exactly.
/// </summary>
public sealed record FramingResult(
    int Written, int ReceiveBuffer, int FirstRead, int ReadsForAll,
    int AskedToWrite, int SendBuffer, int Accepted, int NextWriteErrno,
    IReadOnlyList<int> FramedSent, IReadOnlyList<int> FramedReceived, int FramedReads);

internal static class FramingExperiment
{
    public static FramingResult Run()
    {
        // 1. A short read: 200,000 bytes written at once reach a receiver whose buffer holds far fewer.
        var (client, server) = Pair(receiveBuffer: 16_384);
        int written = 200_000, firstRead, readsForAll, receiveBuffer;
        using (client)
        using (server)
        {
            receiveBuffer = server.ReceiveBufferSize;
            var sending = Task.Run(() => client.Send(new byte[written])); // blocking Send: .NET loops until all is taken
            Thread.Sleep(50);
            var buffer = new byte[written];
            firstRead = server.Receive(buffer);
            int total = firstRead;
            readsForAll = 1;
            while (total < written)
            {
                total += server.Receive(buffer, total, written - total, SocketFlags.None);
                readsForAll++;
            }
            if (!sending.Wait(TimeSpan.FromSeconds(5))) throw new TimeoutException("the writer did not finish within 5 s");
        }

        // 2. A short write: a non-blocking socket takes what fits in its send buffer (plus the peer's window) and no more.
        (client, server) = Pair(receiveBuffer: 16_384);
        int asked = 4 * 1024 * 1024, accepted, nextErrno, sendBuffer;
        using (client)
        using (server)
        {
            client.SendBufferSize = 16_384;
            sendBuffer = client.SendBufferSize;
            client.Blocking = false;
            accepted = client.Send(new byte[asked], SocketFlags.None, out var error);
            if (error != SocketError.Success) throw new SocketException((int)error);
            client.Send(new byte[1], SocketFlags.None, out var second);
            nextErrno = second == SocketError.WouldBlock ? Errno.EAGAIN : (int)second;
        }

        // 3. The fix: a 4-byte length before each message, read back with read-exactly.
        (client, server) = Pair(receiveBuffer: 16_384);
        int[] sizes = [5, 70_000, 12];
        var received = new List<int>();
        int reads = 0;
        using (client)
        using (server)
        {
            var sender = Task.Run(() =>
            {
                foreach (int size in sizes)
                {
                    var frame = new byte[4 + size];
                    BinaryPrimitives.WriteInt32BigEndian(frame, size);
                    client.Send(frame);
                }
            });
            var prefix = new byte[4];
            for (int i = 0; i < sizes.Length; i++)
            {
                reads += ReadExactly(server, prefix);
                var message = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
                reads += ReadExactly(server, message);
                received.Add(message.Length);
            }
            if (!sender.Wait(TimeSpan.FromSeconds(5))) throw new TimeoutException("the framed sender did not finish within 5 s");
        }
        return new FramingResult(written, receiveBuffer, firstRead, readsForAll, asked, sendBuffer, accepted, nextErrno, sizes, received, reads);
    }

    /// <summary>
    /// Fills <paramref name="into"/> completely, calling read() as often as it takes; returns how many calls.
    /// Written out (NetworkStream.ReadExactly does the same) so the chapter can count the reads.
    /// </summary>
    public static int ReadExactly(Socket socket, Span<byte> into)
    {
        int calls = 0, have = 0;
        while (have < into.Length)
        {
            int n = socket.Receive(into[have..]);
            calls++;
            if (n == 0) throw new EndOfStreamException($"the peer closed after {have} of {into.Length} bytes");
            have += n;
        }
        return calls;
    }

    private static (Socket Client, Socket Server) Pair(int receiveBuffer)
    {
        var (client, server) = LoopbackTcp.Open().WithoutListener();
        server.ReceiveBufferSize = receiveBuffer;
        server.ReceiveTimeout = 5000;
        return (client, server);
    }
}

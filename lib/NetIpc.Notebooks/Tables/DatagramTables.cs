using Microsoft.Data.Analysis;
using NetIpc.Hosts;
using NetIpc.Servers;
using NetIpc.SocketTables;
using NetIpc.Udp;
using NetIpc.Unix;

namespace NetIpc.Notebooks.Tables;

/// <summary>Chapters 10 and 11 as tables: message boundaries, drops, a lossy path, UNIX sockets.</summary>
public static class DatagramTables
{
    public static DataFrame ToDataFrame(this BoundariesResult result) => new(
        new StringDataFrameColumn("protocol", result.Reads.Select(r => r.Protocol)),
        new Int32DataFrameColumn("read call", result.Reads.Select(r => r.Call)),
        new StringDataFrameColumn("what it returned", result.Reads.Select(r => r.Text)),
        new Int32DataFrameColumn("bytes", result.Reads.Select(r => r.Bytes)),
        new BooleanDataFrameColumn("MSG_TRUNC", result.Reads.Select(r => r.Truncated)));

    public static DataFrame ToDataFrame(this UdpDropsResult result) => new(
        new Int32DataFrameColumn("SO_RCVBUF granted", result.Bursts.Select(b => b.ReceiveBuffer)),
        new Int32DataFrameColumn("sent", result.Bursts.Select(b => b.Sent)),
        new Int32DataFrameColumn("received", result.Bursts.Select(b => b.Received)),
        new Int64DataFrameColumn("drops column", result.Bursts.Select(b => b.DropsColumn)),
        new Int64DataFrameColumn("Udp.RcvbufErrors", result.Bursts.Select(b => b.RcvbufErrors)));

    public static DataFrame ToDataFrame(this LossyPathResult r) => new(
        new StringDataFrameColumn("protocol", ["UDP", "TCP"]),
        new StringDataFrameColumn("sent", [$"{r.UdpSent} datagrams", $"{r.TcpBytesSent:N0} bytes"]),
        new StringDataFrameColumn("received", [$"{r.UdpReceived} datagrams", $"{r.TcpBytesReceived:N0} bytes"]),
        new StringDataFrameColumn("intact and in order", [r.UdpInOrder ? "what arrived was in order" : $"{r.UdpOutOfOrder} arrived out of order", r.TcpIntact ? "yes, every byte, in order" : "NO"]),
        new StringDataFrameColumn("how", [$"{r.UdpSent - r.UdpReceived} lost for good",
            $"Tcp.RetransSegs +{r.TcpRetransSegs} (fast +{r.Recovery("TcpExt.TCPFastRetrans")}, after a timeout " +
              (r.TcpRecovery.ContainsKey("TcpExt.TCPSlowStartRetrans") ? $"+{r.Recovery("TcpExt.TCPSlowStartRetrans")}" : "not counted by this kernel") +
              $", probes +{r.Recovery("TcpExt.TCPLossProbes")}; timer expiries {r.Recovery("TcpExt.TCPTimeouts")})"]));

    public static DataFrame ToDataFrame(this UnixSocketsSnapshot snapshot) => new(
        new StringDataFrameColumn("socket", snapshot.Rows.Select(r => r.Socket)),
        new Int32DataFrameColumn("fd", snapshot.Rows.Select(r => r.Fd)),
        new StringDataFrameColumn("type", snapshot.Rows.Select(r => r.Type)),
        new StringDataFrameColumn("state", snapshot.Rows.Select(r => r.State)),
        new UInt64DataFrameColumn("inode", snapshot.Rows.Select(r => r.Inode)),
        new StringDataFrameColumn("path in /proc/net/unix", snapshot.Rows.Select(r => r.Path)));

    public static DataFrame ToDataFrame(this StaleSocketFile r) => new(
        new StringDataFrameColumn("step", [
            "bind() a path, listen()", ".NET: Socket.Dispose()", "C: close(fd) on a socket bound to the path",
            "bind() the same path again", "unlink() the file, bind() again"]),
        new StringDataFrameColumn("result", [
            r.FileExistsWhileBound ? "a socket file appears on disk" : "no file",
            r.FileExistsAfterDotnetDispose ? "the file is still there" : "the file is gone: .NET unlinks what it bound",
            r.FileExistsAfterCClose ? "the file is still there: close() does not remove it" : "the file is gone",
            r.BindAgain, r.BindAfterUnlink]));

    public static DataFrame ToDataFrame(this ServerDescriptorsResult r)
    {
        ServerSide[] sides = [r.Tcp, r.Udp];
        return new(
            new StringDataFrameColumn("server", sides.Select(s => $"{s.Protocol} echo, {r.Clients} clients")),
            new StringDataFrameColumn("its calls", sides.Select(s => string.Join("; ", s.Calls))),
            new StringDataFrameColumn("its descriptors on the port", sides.Select(s => string.Join("; ", s.Descriptors))),
            new StringDataFrameColumn($"lines with the port in /proc/net", sides.Select(s => string.Join("; ", s.TableLines))));
    }

    public static DataFrame ToDataFrame(this SocketTypesResult r) => new(
        new StringDataFrameColumn("call", r.Rows.Select(x => x.Call)),
        new Int32DataFrameColumn("SO_TYPE", r.Rows.Select(x => x.SoType)),
        new Int32DataFrameColumn("SO_PROTOCOL", r.Rows.Select(x => x.SoProtocol)),
        new BooleanDataFrameColumn("O_NONBLOCK", r.Rows.Select(x => x.NonBlocking)),
        new StringDataFrameColumn("listed in", r.Rows.Select(x => x.ListedIn)),
        new StringDataFrameColumn("local_address there", r.Rows.Select(x => x.Line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } c ? c[1] : "")),
        new StringDataFrameColumn("what one receive call gave", r.Rows.Select(x => x.Receives)));

    public static DataFrame ToDataFrame(this SocketPermissionsResult r) => new(
        new StringDataFrameColumn("who connects", r.Cases.Select(c => c.As)),
        new StringDataFrameColumn("to", r.Cases.Select(c => c.Address)),
        new StringDataFrameColumn("file mode", r.Cases.Select(c => c.Mode)),
        new StringDataFrameColumn("result", r.Cases.Select(c => c.Connect)));

    /// <summary>
    /// Each row names the limit that stopped it: for the socketpair, the sender's send buffer (its ends are each
    /// other's peers, so the receiver's queue limit does not apply); for UDP, the receiver's buffer, given the
    /// same budget.
    /// </summary>
    public static DataFrame ToDataFrame(this UnixReliabilityResult r) => new(
        new StringDataFrameColumn("socket", ["UNIX datagram (socketpair)", "UDP"]),
        new StringDataFrameColumn("buffer that fills", [
            r.UnixSendBuffer > 0 ? $"sender's SO_SNDBUF {r.UnixSendBuffer:N0} bytes" : "sender's SO_SNDBUF",
            r.UdpReceiveBuffer > 0 ? $"receiver's SO_RCVBUF {r.UdpReceiveBuffer:N0} bytes" : "receiver's SO_RCVBUF"]),
        new Int32DataFrameColumn("datagrams sent", [r.Burst, r.Burst]),
        new Int32DataFrameColumn("received", [r.UnixReceived, r.UdpReceived]),
        new StringDataFrameColumn("what happened to the rest", [
            r.UnixSentBeforeEagain < r.Burst ? $"none lost: after {r.UnixSentBeforeEagain} the sender was told EAGAIN and sent the rest once the reader caught up" : "none lost",
            $"dropped by the kernel: drops column {r.UdpDrops}"]),
        new StringDataFrameColumn("in order", [r.UnixInOrder ? "yes" : "no", "—"]));
}

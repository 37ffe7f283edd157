using System.Diagnostics;
using System.Net.Sockets;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>One observation of the closing experiment: a step, and the two ends' lines right after it.</summary>
public sealed record CloseStep(double TimeMs, string Step, string ClientState, string ServerState, string ServerTimer, string ClientTimer, bool? ReadReturnedEof);

/// <summary>What <see cref="Experiments.Close"/> observed, step by step.</summary>
/// <param name="ShutdownAtMs">When the client called shutdown(SHUT_WR), on the steps' clock.</param>
/// <param name="ServerAtoBeforeFinMs">
/// The server's delayed-ACK timeout just before the client's FIN, from the ato column of its /proc/net/tcp line
/// (icsk_ack.ato): 0 until the first data segment arrives (tcp_event_data_recv sets TCP_ATO_MIN). Null where the
/// line has no ato column, or the server's line was not found.
/// </param>
/// <param name="FinAckedAtMs">
/// When the ACK of the client's FIN arrived, on the steps' clock, by the kernel's own stamp: the moment the table showed
/// FIN-WAIT-2 less the client's tcpi_last_ack_recv read right then — so a slow look at the table does not count.
/// </param>
/// <param name="ServerRxQueueAfterFin">
/// The server's rx_queue (rcv_nxt − copied_seq, get_tcp4_sock) in CLOSE-WAIT, before its read(): the FIN takes a
/// sequence number of its own, so it shows as 1 unread though it carries no byte. Null where the server's line was not found.
/// </param>
/// <param name="ServerRxQueueAfterEof">The same column once read() has returned 0 (tcp_recvmsg moves copied_seq past the FIN). Null where the server's line was not found.</param>
public sealed record CloseResult(int Port, IReadOnlyList<CloseStep> Steps, TimeSpan TimeWaitRemaining, double ShutdownAtMs, double FinAckedAtMs,
    double? ServerAtoBeforeFinMs = null, long? ServerRxQueueAfterFin = null, long? ServerRxQueueAfterEof = null)
{
    /// <summary>From the shutdown(SHUT_WR) call to the ACK of the FIN, by the kernel's stamp.</summary>
    public double FinAckedAfterMs => FinAckedAtMs - ShutdownAtMs;

    /// <summary>From the shutdown(SHUT_WR) call to the first look at the table that showed FIN-WAIT-2 (the ACK of the FIN had arrived).</summary>
    public double FinWait2AfterMs => Steps.Count < 2 ? double.NaN : Steps[1].TimeMs - ShutdownAtMs;

    /// <summary>Every state the two ends were seen in, in order of first appearance.</summary>
    public IReadOnlyList<string> StatesSeen => Steps.SelectMany(s => new[] { s.ClientState, s.ServerState }).Where(s => s != "gone").Distinct().ToList();
}

/// <summary>An orderly close, stopped at every state the table can show.</summary>
internal static class CloseExperiment
{
    /// <summary>
    /// Closes a connection the polite way and stops at every state the table can show:
    /// the client shuts down its sending side (FIN_WAIT2 / CLOSE_WAIT) and the server's read() returns 0;
    /// the server, holding more data than the client will take, closes — its FIN waits behind the data, so it
    /// sits in LAST_ACK; the client reads everything, the FIN gets through, the client ends in TIME_WAIT.
    /// The TIME_WAIT entry stays in the kernel for its 60 s, owned by no file; everything else is closed.
    /// </summary>
    public static CloseResult Run()
    {
        var clock = Stopwatch.StartNew();
        var steps = new List<CloseStep>();
        // Small receive buffers on both ends, so the server's FIN can be made to queue behind unsent data.
        using var connection = LoopbackTcp.Open(beforeListen: l => l.ReceiveBufferSize = 4096, beforeConnect: c => c.ReceiveBufferSize = 4096);
        var (client, server) = (connection.Client, connection.Server);
        int port = connection.ServerPort, clientPort = connection.ClientPort;
        (TcpSocketEntry? Client, TcpSocketEntry? Server) BothEnds()
        {
            var table = ProcNet.Self.Tcp();
            return (table.FirstOrDefault(e => e.Local.Port == clientPort && e.Remote.Port == port),
                    table.FirstOrDefault(e => e.Local.Port == port && e.Remote.Port == clientPort));
        }
        // The table follows each call a moment later; a step whose state never shows would be recorded
        // with the state before it, so waiting too long stops the experiment instead.
        void Observe(string step, string awaited, Func<(TcpSocketEntry? Client, TcpSocketEntry? Server), bool> settled, bool? eof = null)
        {
            var lines = BothEnds();
            Poll.Until(TimeSpan.FromSeconds(2), $"{awaited} after \"{step}\"", () => settled(lines = BothEnds()),
                seen: () => $"client {StateName(lines.Client)}, server {StateName(lines.Server)}");
            steps.Add(new CloseStep(Math.Round(clock.Elapsed.TotalMilliseconds, 1), step,
                StateName(lines.Client), StateName(lines.Server), TimerText(lines.Server), TimerText(lines.Client), eof));
        }

        Observe("connected", "the client ESTABLISHED", l => l.Client?.State == KernelTcpState.Established);
        double? ato = ServerAtoMs(port, clientPort);
        double shutdownAt = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        client.Shutdown(SocketShutdown.Send);
        Observe("client: shutdown(SHUT_WR) sends FIN", "the client in FIN-WAIT-2 and the server in CLOSE-WAIT", l => l.Client?.State == KernelTcpState.FinWait2 && l.Server?.State == KernelTcpState.CloseWait);
        uint sinceAck = TcpInfo.Of(client).LastAckReceivedMs;
        double finAckedAt = Math.Round(clock.Elapsed.TotalMilliseconds - sinceAck, 1);
        long? rxAfterFin = (long?)BothEnds().Server?.RxQueue;
        bool eof = server.Receive(new byte[16]) == 0;
        Observe("server: read() returns 0", "nothing (the read has returned)", _ => true, eof);
        long? rxAfterEof = (long?)BothEnds().Server?.RxQueue;

        // Fill the client's small receive buffer so the server's FIN must queue behind unsent data.
        server.Blocking = false;
        var chunk = new byte[4096];
        long queued = 0;
        try
        {
            while (queued < 4 << 20)
            {
                queued += server.Send(chunk);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            // the server's send buffer is full too: enough
        }
        server.Close();
        Observe("server: close() with data still unsent", "the server in LAST-ACK", l => l.Server?.State == KernelTcpState.LastAck);

        client.Blocking = true;
        client.ReceiveTimeout = 5000;
        var sink = new byte[64 * 1024];
        while (client.Receive(sink) > 0)
        {
            // read until the server's FIN arrives behind its data
        }
        Observe("client: reads everything, FIN arrives", "the client in TIME-WAIT and the server's line gone", l => l.Client?.State == KernelTcpState.TimeWait && l.Server is null);
        client.Close();
        Observe("client: close()", "the client in TIME-WAIT", l => l.Client?.State == KernelTcpState.TimeWait);

        var timeWait = BothEnds().Client;
        return new CloseResult(port, steps, timeWait?.TimerRemaining ?? TimeSpan.Zero, shutdownAt, finAckedAt, ato, rxAfterFin, rxAfterEof);
    }

    /// <summary>The ato column of the server's line (the 14th field of a full line, clock_t at USER_HZ = 100), or null if its line is short or gone.</summary>
    private static double? ServerAtoMs(int port, int clientPort)
    {
        foreach (var (text, e) in TcpTable.ParseWithText(ProcNet.Self.Read("tcp")))
        {
            var f = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (e.Local.Port == port && e.Remote.Port == clientPort && f.Length >= 17)
            {
                return long.Parse(f[13], System.Globalization.CultureInfo.InvariantCulture) * 10.0;
            }
        }
        return null;
    }

    private static string StateName(TcpSocketEntry? e) => e is null ? "gone" : SocketTable.SsStateName(e.State) + (e.Inode == 0 ? " (no owner)" : "");

    private static string TimerText(TcpSocketEntry? e) => e is null || e.Timer == TcpTimer.None ? "" : $"{e.Timer} {e.TimerRemaining.TotalSeconds:0.#} s";
}

using NetIpc.Harness;
using NetIpc.Tcp;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>09: how soon the client's FIN was acknowledged: at the next timer tick by a server that received no data, else by its delayed-ACK timer.</summary>
    public static string FinAcknowledged(CloseResult r)
    {
        r.FinAckTimingChecks().RequireAll();
        if (r.ServerAtoBeforeFinMs is not double ato)
        {
            return $"from shutdown(SHUT_WR) to the table showing FIN-WAIT-2: {r.FinWait2AfterMs:0.0} ms in this run (its /proc line had no ato column)";
        }
        double after = r.FinAckedAfterMs;
        const string how = "the ACK of the FIN arrived (the client's tcpi_last_ack_recv)";
        return ato == 0
            ? $"✓ the server had received no data, so its ato column showed 0 before the FIN: its delayed ACK was due at once, at the next timer tick. " +
              $"It came in time: {how} {after:0.0} ms after shutdown(SHUT_WR), under TCP_DELACK_MIN's 40 ms"
            : $"✓ the server's ato was {ato:0} ms before the FIN, and {how} {after:0.0} ms after shutdown(SHUT_WR): the delayed-ACK timer's wait";
    }

    /// <summary>09: the seed's "EOF in the receive buffer": the FIN takes one sequence number, so rx_queue counts it as 1 until read() returns 0.</summary>
    public static string FinInTheReceiveQueue(CloseResult r)
    {
        r.FinInQueueChecks().RequireAll();
        if (r.ServerRxQueueAfterFin is not long before || r.ServerRxQueueAfterEof is not long after)
        {
            return "this run has no rx_queue readings around the server's read()";
        }
        return $"✓ in CLOSE-WAIT, before read(), the server's rx_queue was {before}: the FIN, no byte but one sequence number; " +
               $"read() returned 0 and rx_queue became {after}";
    }

    /// <summary>09: TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60 s, counted down from when the state was entered.</summary>
    public static string TimeWaitLength(CloseResult r)
    {
        r.TimeWaitChecks().RequireAll();
        double left = r.TimeWaitRemaining.TotalSeconds;
        return $"✓ {left:0.00} s left of TCP_TIMEWAIT_LEN's 60 s ({(60 - left) * 1000:0} ms after the state was entered, in /proc's 10 ms ticks)";
    }

    /// <summary>09: a plain close() sends FIN: the peer reads end of file, the closer waits in TIME_WAIT, no reset.</summary>
    public static string OrderlyCloseSendsFin(AbortiveCloseResult r)
    {
        r.OrderlyChecks().RequireAll();
        var c = r.Orderly;
        return $"✓ {c.How}: peer {c.PeerRead}; the closer is in {c.CloserAfter}; {c.Counters()}";
    }

    /// <summary>09: SO_LINGER {1, 0} then close() sends RST and counts TCPAbortOnData.</summary>
    public static string ZeroLingerSendsRst(AbortiveCloseResult r)
    {
        r.ZeroLingerChecks().RequireAll();
        return Abortive(r.ZeroLinger);
    }

    /// <summary>09: close() with unread data sends RST and counts TCPAbortOnClose.</summary>
    public static string UnreadDataSendsRst(AbortiveCloseResult r)
    {
        r.UnreadDataChecks().RequireAll();
        return Abortive(r.UnreadData);
    }

    private static string Abortive(CloseCase c) =>
        $"✓ {c.How}: {c.Counters()}; no line left, no TIME_WAIT, Tcp.EstabResets +{c.EstabResets}; peer {c.PeerRead}, then {c.PeerWrite}";
}

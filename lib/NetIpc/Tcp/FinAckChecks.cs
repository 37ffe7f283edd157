using NetIpc.Harness;
using NetIpc.Proc;

namespace NetIpc.Tcp;

/// <summary>Chapter 05's claims about the delayed ACK of a FIN.</summary>
public static class FinAckChecks
{
    /// <summary>The claims chapter 05 makes about this run, each with what was seen.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this FinAckResult r)
    {
        var pending = r.Observations.FirstOrDefault(o => o.Client == KernelTcpState.FinWait1 && o.Server == KernelTcpState.CloseWait);
        var after = r.Observations.LastOrDefault(o => o.Client == KernelTcpState.FinWait2);
        // The ACK cannot come before the delayed-ACK timer, which is at least ato; a quick ACK would end
        // FIN-WAIT-1 within a millisecond of the close. Allow one sampling step below ato.
        double floor = (r.AtoMs ?? CloseChecks.DelayedAckMinMs) - 5;
        return
        [
            new("the server's end enters CLOSE_WAIT in pingpong mode (tcp_fin → inet_csk_enter_pingpong_mode)",
                pending?.ServerPingpong == true,
                pending is null ? "the client was never seen in FIN-WAIT-1 with the server in CLOSE-WAIT" : $"at {pending.TimeMs:F1} ms: pingpong {(pending.ServerPingpong == true ? 1 : 0)}, ato {pending.ServerAtoMs:F0} ms"),
            new($"so the ACK of the FIN waits for the delayed-ACK timer: the client stays in FIN-WAIT-1 at least ato − 5 ms = {floor:F0} ms",
                r.FinWait2FirstSeenMs is double reached && reached >= floor,
                r.FinWait2FirstSeenMs is double seen ? $"FIN-WAIT-1 last seen at {r.FinWait1LastSeenMs:F1} ms, FIN-WAIT-2 first seen at {seen:F1} ms" : "the client never reached FIN-WAIT-2"),
            new("when that timer fires the server leaves pingpong mode (tcp_delack_timer_handler: a delayed ACK that had to fire ends it)",
                after?.ServerPingpong == false,
                after is null ? "no observation after the ACK" : $"at {after.TimeMs:F1} ms: pingpong {(after.ServerPingpong == true ? 1 : 0)}"),
        ];
    }
}

using System.Diagnostics;
using System.Globalization;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>
/// One look at both ends of a connection after the client's close(): their states, and from the server's line
/// the two delayed-ACK columns get_tcp4_sock prints after ssthresh's neighbours — ato and the pingpong bit.
/// </summary>
public sealed record FinAckObservation(double TimeMs, KernelTcpState? Client, KernelTcpState? Server, bool? ServerPingpong, double? ServerAtoMs);

/// <summary>What the client's FIN did to the server's ACK timing, observed; <see cref="FinAckChecks.Checks"/> holds the chapter's claims.</summary>
public sealed record FinAckResult(int Attempts, IReadOnlyList<FinAckObservation> Observations)
{
    /// <summary>The last observation that still showed the client in FIN-WAIT-1: a lower bound on how long the ACK took.</summary>
    public double? FinWait1LastSeenMs => Observations.LastOrDefault(o => o.Client == KernelTcpState.FinWait1)?.TimeMs;

    /// <summary>The first observation with the client in FIN-WAIT-2: an upper bound on when the ACK arrived.</summary>
    public double? FinWait2FirstSeenMs => Observations.FirstOrDefault(o => o.Client == KernelTcpState.FinWait2)?.TimeMs;

    /// <summary>The delayed-ACK timeout the server's line showed while the ACK was pending.</summary>
    public double? AtoMs => Observations.FirstOrDefault(o => o.Client == KernelTcpState.FinWait1 && o.ServerAtoMs is not null)?.ServerAtoMs;

    /// <summary>Throws <see cref="ProofFailedException"/> naming what the kernel did instead, when a claim fails.</summary>
    public FinAckResult Require()
    {
        this.Checks().RequireAll();
        return this;
    }

}

/// <summary>
/// Why the client of chapter 05 sits in FIN-WAIT-1 for tens of milliseconds: the FIN's receiver delays its ACK.
/// The client closes an idle connection while the server does nothing; /proc/net/tcp is read about every
/// millisecond until the client reaches FIN-WAIT-2.
/// </summary>
internal static class FinAckExperiment
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    public static FinAckResult Run(int attempts = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempts);
        List<FinAckObservation> observations = [];
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            observations = Once();
            // A busy machine may keep this thread off the CPU until the ACK has gone: then nothing showed the
            // moment in between, and another try is a fairer look than a failed check.
            if (observations.Any(o => o.Client == KernelTcpState.FinWait1 && o.Server == KernelTcpState.CloseWait))
            {
                return new FinAckResult(attempt, observations);
            }
        }
        return new FinAckResult(attempts, observations);
    }

    private static List<FinAckObservation> Once()
    {
        using var connection = LoopbackTcp.Open();
        var (client, server) = (connection.Client, connection.Server);
        // The lifecycle's exchange, so the connection has carried data both ways like the chapter's.
        client.Send("hello\r\n"u8);
        server.ReceiveExactly(new byte[7]);
        server.Send("hello\r\n"u8);
        client.ReceiveExactly(new byte[7]);
        int serverPort = connection.ServerPort, clientPort = connection.ClientPort;

        var clock = Stopwatch.StartNew();
        client.Close();
        var seen = new List<FinAckObservation>();
        while (clock.Elapsed < Limit)
        {
            var o = Observe(clock.Elapsed.TotalMilliseconds, serverPort, clientPort);
            seen.Add(o);
            // A few looks after FIN-WAIT-2 show what the timer left behind on the server's side.
            if (seen.Count(x => x.Client == KernelTcpState.FinWait2) >= 3)
            {
                break;
            }
            Thread.Sleep(1);
        }
        return seen;
    }

    private static FinAckObservation Observe(double timeMs, int serverPort, int clientPort)
    {
        KernelTcpState? clientState = null, serverState = null;
        bool? pingpong = null;
        double? ato = null;
        foreach (var (text, e) in TcpTable.ParseWithText(ProcNet.Self.Read("tcp")))
        {
            if (e.Local.Port == clientPort && e.Remote.Port == serverPort)
            {
                clientState = e.State;
            }
            else if (e.Local.Port == serverPort && e.Remote.Port == clientPort)
            {
                serverState = e.State;
                var f = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // Full lines only: … rto ato (quick << 1 | pingpong) snd_cwnd ssthresh (fields 12–16).
                if (f.Length >= 17)
                {
                    ato = long.Parse(f[13], CultureInfo.InvariantCulture) * 10.0; // clock_t, USER_HZ = 100
                    pingpong = (int.Parse(f[14], CultureInfo.InvariantCulture) & 1) == 1;
                }
            }
        }
        return new FinAckObservation(Math.Round(timeMs, 2), clientState, serverState, pingpong, ato);
    }
}

using NetIpc.Harness;

namespace NetIpc.Hosts;

/// <summary>Chapter 05's claims about the seed's flow, in the order the kernel ran it.</summary>
public static class SeedFlowTraceChecks
{
    /// <summary>When a side's call that starts so returned, in µs; NaN when it made no such call.</summary>
    public static double CallAt(this SeedFlowTrace t, string side, string callStart) =>
        t.Calls.FirstOrDefault(c => c.Side == side && c.Call.StartsWith(callStart, StringComparison.Ordinal))?.Microseconds ?? double.NaN;

    /// <summary>"client SYN, server SYN-ACK, client ACK (5 B), …": the segments as seen.</summary>
    public static string Seen(this SeedFlowTrace t) =>
        string.Join(", ", t.Segments.Select(x => $"{x.From} {x.Flags}{(x.Payload > 0 ? $" ({x.Payload} B)" : "")}"));

    /// <summary>Handshake, data both ways, the client's FIN first; each call returns after the segment it waits for.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this SeedFlowTrace t)
    {
        var s = t.Segments;
        string seen = t.Seen();
        bool handshake = s.Count >= 3 && s[0] is { From: "client", Flags: "SYN" } && s[1] is { From: "server", Flags: "SYN-ACK" } && s[2] is { From: "client", Flags: "ACK" };
        List<ProofCheck> checks = [new("the connection opens with SYN, SYN-ACK, ACK", handshake, seen)];
        if (!handshake)
        {
            return checks;
        }
        double connect = t.CallAt("client", "connect()"), accept = t.CallAt("server", "accept()"), eof = t.CallAt("server", "read() = 0");
        var data = s.Where(x => x.Payload > 0).ToList();
        var fins = s.Where(x => x.Flags.Contains("FIN", StringComparison.Ordinal)).ToList();
        bool finsInOrder = fins.Count == 2 && fins[0].From == "client" && fins[1].From == "server";
        checks.AddRange(
        [
            new("connect() returns only after the SYN-ACK has arrived", connect >= s[1].Microseconds,
                $"connect() at {connect:0} µs, SYN-ACK at {s[1].Microseconds:0} µs"),
            new("accept() returns only after the client's ACK has arrived", accept >= s[2].Microseconds,
                $"accept() at {accept:0} µs, ACK at {s[2].Microseconds:0} µs"),
            new("one data segment each way, the client's first", data.Count == 2 && data[0].From == "client" && data[1].From == "server", seen),
            new("the client's FIN comes first, then the server's", finsInOrder, seen),
            new("the server's read() returns 0 after the client's FIN", fins.Count > 0 && eof >= fins[0].Microseconds,
                fins.Count == 0 ? "no FIN" : $"FIN at {fins[0].Microseconds:0} µs, read() = 0 at {eof:0} µs"),
        ]);
        return checks;
    }
}

using NetIpc.Harness;

namespace NetIpc.Udp;

/// <summary>Chapter 10's claim about three small writes on the wire.</summary>
public static class BoundariesChecks
{
    /// <summary>Three small writes leave as one to three data segments — counted, since autocorking may merge them.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this BoundariesResult r) =>
    [
        new("three small writes leave as one to three data segments", r.TcpDataSegments is >= 1 and <= 3,
            $"{r.TcpDataSegments} data segments (tcpi_data_segs_out)"),
    ];
}

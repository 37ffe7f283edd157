using NetIpc.Harness;
using NetIpc.Native;

namespace NetIpc.Tcp;

/// <summary>Chapter 10's claims that a stream keeps no message boundaries, and that framing restores them.</summary>
public static class FramingChecks
{
    public static IReadOnlyList<ProofCheck> Checks(this FramingResult r) =>
    [
        new("one read() returns fewer bytes than one write() sent", r.FirstRead > 0 && r.FirstRead < r.Written, $"{r.FirstRead:N0} of {r.Written:N0}"),
        new("a non-blocking write() takes only what fits, and the next one fails with EAGAIN",
            r.Accepted > 0 && r.Accepted < r.AskedToWrite && r.NextWriteErrno == Errno.EAGAIN,
            $"{r.Accepted:N0} of {r.AskedToWrite:N0} taken, next {Errno.Describe(r.NextWriteErrno)}"),
        new("length-prefixed messages come back whole although the reads do not line up with them",
            r.FramedReceived.SequenceEqual(r.FramedSent) && r.FramedReads > 2 * r.FramedSent.Count,
            $"sent {string.Join(", ", r.FramedSent)}, received {string.Join(", ", r.FramedReceived)} in {r.FramedReads} reads"),
    ];
}

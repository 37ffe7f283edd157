using NetIpc.Harness;

namespace NetIpc.Unix;

/// <summary>Chapter 11's claims about a descriptor passed with SCM_RIGHTS, and SO_PEERCRED.</summary>
public static class DescriptorPassingChecks
{
    /// <summary>A descriptor passed with SCM_RIGHTS is a new number for the same open file; SO_PEERCRED names the peer process.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this DescriptorPassingResult r) =>
    [
        new("the other process's descriptor points at the same file", r.ReceiverPid != r.SenderPid && r.ReceiverTarget == r.SenderTarget,
            $"sender {r.SenderPid} fd {r.SenderFd} → {r.SenderTarget}; receiver {r.ReceiverPid} fd {r.ReceiverFd} → {r.ReceiverTarget}"),
        new("what the receiver wrote through its descriptor is in the sender's file",
            r.FileContents.Contains($"written by process {r.ReceiverPid} through its descriptor {r.ReceiverFd}", StringComparison.Ordinal),
            $"the file holds \"{r.FileContents.Trim()}\""),
        new("SO_PEERCRED gives the connecting process's pid, uid and gid",
            r.PeerCredPid == r.ReceiverPid && r.PeerCredUid == r.SenderUid && r.PeerCredGid == r.SenderGid,
            $"SO_PEERCRED pid {r.PeerCredPid} uid {r.PeerCredUid} gid {r.PeerCredGid}; receiver pid {r.ReceiverPid}, same user {r.SenderUid}:{r.SenderGid}"),
    ];
}

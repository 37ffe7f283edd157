using NetIpc.Harness;
using NetIpc.Native;

namespace NetIpc.Unix;

/// <summary>Chapter 11's claims about who may connect to a UNIX socket.</summary>
public static class SocketPermissionsChecks
{
    /// <summary>The owner's write bit of an "rwxr-xr-x" mode.</summary>
    public static bool OwnerMayWrite(this SocketPermissionCase c) => c.Mode.Length == 9 && c.Mode[1] == 'w';

    /// <summary>connect() to a path needs write permission on the file (unless CAP_DAC_OVERRIDE); an abstract name needs nothing.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this SocketPermissionsResult r)
    {
        List<ProofCheck> checks = [new("four connects were made", r.Cases.Count == 4, $"{r.Cases.Count}")];
        if (r.Cases.Count != 4)
        {
            return checks;
        }
        var (asCreated, readOnly, anyone, process) = (r.Cases[0], r.Cases[1], r.Cases[2], r.Cases[3]);
        bool ownerMayWrite = asCreated.OwnerMayWrite();
        checks.AddRange(
        [
            new($"bind() made the file {asCreated.Mode} (0777 less umask {r.Umask}), so its owner {(ownerMayWrite ? "may" : "may not")} connect",
                asCreated.Errno == (ownerMayWrite ? 0 : Errno.EACCES), asCreated.Connect),
            new("without write permission on the socket file, connect() fails with EACCES",
                readOnly.Mode.Length == 9 && !readOnly.Mode.Contains('w') && readOnly.Errno == Errno.EACCES, $"{readOnly.Mode}: {readOnly.Connect}"),
            new("the abstract name took the connection, and SO_PEERCRED names the connecting uid", anyone.Errno == 0 && r.AbstractPeerUid == r.ConnectingUid,
                $"{anyone.Connect}; SO_PEERCRED uid {r.AbstractPeerUid}, connecting uid {r.ConnectingUid}"),
            new($"with{(r.DacOverride ? "" : "out")} CAP_DAC_OVERRIDE ({r.CapabilitiesBefore}) the process itself {(r.DacOverride ? "passes" : "meets")} the same check",
                process.Errno == (r.DacOverride ? 0 : Errno.EACCES), process.Connect),
        ]);
        return checks;
    }
}

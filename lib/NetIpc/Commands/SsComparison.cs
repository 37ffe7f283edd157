using NetIpc.Harness;
using NetIpc.Proc;

namespace NetIpc.Commands;

/// <summary>One socket and whether each side listed it, with the same owners.</summary>
public sealed record SocketAgreement(string State, string Local, string Remote, bool FromProc, bool FromSs, bool OwnersAgree, bool ChangedDuringComparison);

/// <summary>
/// The course's /proc-based socket table set against <c>ss -tanp</c>. The machine keeps living while
/// the two are read, so /proc is read before and after ss: a socket that appeared or vanished in
/// between is marked as changed rather than counted as a disagreement.
/// </summary>
public sealed class SsComparison
{
    private SsComparison(IReadOnlyList<SocketAgreement> rows) => Rows = rows;

    public IReadOnlyList<SocketAgreement> Rows { get; }

    /// <summary>Rows that disagree although they did not change while the tables were read.</summary>
    public IReadOnlyList<SocketAgreement> Disagreements =>
        Rows.Where(r => !r.ChangedDuringComparison && !(r.FromProc && r.FromSs && r.OwnersAgree)).ToList();

    public bool Agrees => Disagreements.Count == 0;


    /// <summary>The rows <paramref name="keep"/> picks, for showing; check agreement on the whole comparison first.</summary>
    public SsComparison Only(Func<SocketAgreement, bool> keep) => new(Rows.Where(keep).ToList());

    /// <summary>
    /// Returns this comparison when /proc and ss agree on every socket that stayed put, and throws
    /// otherwise, naming each socket they disagree on: a chapter must not go on after its table and the
    /// kernel's own tool told different stories.
    /// </summary>
    public SsComparison RequireAgreement()
    {
        Checks().RequireAll();
        return this;
    }

    /// <summary>
    /// One failing check per socket /proc and ss disagree on (among those that stayed put while they were read), or
    /// one check that holds, counting the sockets they agree on.
    /// </summary>
    public IReadOnlyList<ProofCheck> Checks()
    {
        var disagreements = Disagreements;
        return disagreements.Count == 0
            ? [new("/proc and ss list the same sockets with the same owners", true,
                $"{Rows.Count(r => !r.ChangedDuringComparison)} sockets that stayed put, {Rows.Count(r => r.ChangedDuringComparison)} changed while read")]
            : [.. disagreements.Select(r => new ProofCheck($"/proc and ss list {r.State} {r.Local} → {r.Remote} with the same owners", false,
                $"in /proc: {(r.FromProc ? "yes" : "no")}, in ss: {(r.FromSs ? "yes" : "no")}, same process and fd: {(r.OwnersAgree ? "yes" : "no")}"))];
    }

    /// <summary>
    /// Null when ss is not installed. A socket that is opened and closed while ss runs (another program's,
    /// a test's) shows in ss and in neither /proc read; the window cannot be closed, so a comparison that
    /// disagrees is taken again, up to three times: a real disagreement shows every time.
    /// </summary>
    public static SsComparison? RunTcp()
    {
        SsComparison? comparison = null;
        for (int attempt = 0; attempt < 3 && comparison?.Agrees != true; attempt++)
        {
            var before = SocketTable.Tcp();
            var ss = SsTable.RunTcp();
            var after = SocketTable.Tcp();
            if (ss is null)
            {
                return null;
            }
            comparison = Compare(before, ss, after);
        }
        return comparison;
    }

    /// <summary>The recorded tables of a capture against the ss output recorded at the same moment (owners are not recorded, so not compared).</summary>
    public static SsComparison Recorded(string scenario) =>
        Compare(SocketTable.Tcp(Recordings.Proc(scenario)), SsTable.Parse(Recordings.ReadText($"proc/{scenario}/ss-tanp")),
            SocketTable.Tcp(Recordings.Proc(scenario)), compareOwners: false);

    public static SsComparison Compare(SocketTable before, SsTable ss, SocketTable after, bool compareOwners = true)
    {
        var ours = before.GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.First());
        var oursAfter = after.Select(KeyOf).ToHashSet();
        var theirs = ss.GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.First());
        var rows = new List<SocketAgreement>();
        foreach (var key in ours.Keys.Union(theirs.Keys).Order())
        {
            bool inProc = ours.TryGetValue(key, out var mine);
            bool inSs = theirs.TryGetValue(key, out var other);
            bool ownersAgree = inProc && inSs && (!compareOwners || Owners(mine!.Owners).SetEquals(Owners(other!.Owners)));
            bool changed = inProc != oursAfter.Contains(key);
            var parts = key.Split('|');
            rows.Add(new SocketAgreement(parts[0], parts[1], parts[2], inProc, inSs, ownersAgree, changed || (!inProc && oursAfter.Contains(key))));
        }
        return new SsComparison(rows);
    }

    private static HashSet<(int, int)> Owners(IEnumerable<SocketOwner> owners) => owners.Select(o => (o.Pid, o.Fd)).ToHashSet();

    private static string KeyOf(SocketRow r) => $"{r.State}|{Normalize(r.Local)}|{Normalize(r.Remote)}";

    private static string KeyOf(SsRow r) => $"{r.State}|{Normalize(r.Local)}|{Normalize(r.Peer)}";

    /// <summary>Writes both spellings the same way: ss prints "*" for any IPv6 address, "*" for port 0, and "%lo" scopes.</summary>
    internal static string Normalize(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        string host = endpoint[..colon];
        string port = endpoint[(colon + 1)..];
        int scope = host.IndexOf('%');
        if (scope >= 0)
        {
            host = host[..scope] + (host.EndsWith(']') ? "]" : "");
        }
        if (host == "[::]")
        {
            host = "*";
        }
        return $"{host}:{(port == "0" ? "*" : port)}";
    }
}

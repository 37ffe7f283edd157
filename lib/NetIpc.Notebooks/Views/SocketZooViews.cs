using NetIpc.Commands;
using NetIpc.Notebooks.Sentences;
using NetIpc.Notebooks.Tables;
using NetIpc.Proc;
using NetIpc.SocketTables;

namespace NetIpc.Notebooks.Views;

/// <summary>Chapter 03's views of the zoo against the machine's other sockets, ss and sock_diag.</summary>
public static class SocketZooViews
{
    /// <summary>The zoo's /proc/net/tcp lines as the kernel printed them, one per line.</summary>
    public static string LinesText(this SocketZoo zoo) => string.Join('\n', zoo.Lines().Select(l => l.Text));

    /// <summary>The same lines, parsed: the table the chapter's parser makes of them.</summary>
    public static TcpTable LinesTable(this SocketZoo zoo) => new([.. zoo.Lines().Select(l => l.Entry)]);

    /// <summary>The zoo's rows of a whole-namespace socket table.</summary>
    public static SocketTable RowsOf(this SocketZoo zoo, SocketTable machine) => machine.Only(r => zoo.IsOurs(r.State, r.Local, r.Remote));

    /// <summary>How many of <paramref name="machine"/>'s sockets are the zoo's, and by state those that are not (and are not shown).</summary>
    public static string ShareOf(this SocketZoo zoo, SocketTable machine)
    {
        int ours = zoo.RowsOf(machine).Count;
        string others = machine.Only(r => !zoo.IsOurs(r.State, r.Local, r.Remote)).CountByState();
        return $"{ours} of the namespace's {machine.Count} TCP sockets are the zoo's; the other {machine.Count - ours} are not shown ({others})";
    }

    /// <summary>
    /// /proc against ss: a recorded zoo against the ss output recorded with it, a live one against ss run now.
    /// Throws where they disagree; where ss is not installed, no result and the sentence saying so.
    /// </summary>
    public static LiveOnlyResult<ZooAgainstSs> AgainstSs(this SocketZoo zoo)
    {
        var comparison = zoo.IsRecorded ? SsComparison.Recorded("edge-cases") : SsComparison.RunTcp();
        return comparison is null
            ? LiveOnlyResult<ZooAgainstSs>.Missing("ss is not installed here")
            : LiveOnlyResult<ZooAgainstSs>.Ran(new(comparison.RequireAgreement(), comparison.Only(r => zoo.IsOurs(r.State, r.Local, r.Remote))));
    }

    /// <summary>sock_diag's view of the zoo beside /proc's: only for a live zoo, since sock_diag asks the live kernel.</summary>
    public static LiveOnlyResult<TwoViewsOfTheZoo> AgainstSockDiag(this SocketZoo zoo) =>
        NetIpc.SocketTables.SockDiagViews.Of(zoo) is { } views
            ? LiveOnlyResult<TwoViewsOfTheZoo>.Ran(views)
            : LiveOnlyResult<TwoViewsOfTheZoo>.Missing("sock_diag asks the live kernel; this recorded zoo has none to ask");

    /// <summary>What the whole comparison found, and how much of it the zoo's table shows.</summary>
    public static string Sentence(ZooAgainstSs c) =>
        $"{c.All.Summary}; the zoo's {c.Zoo.Rows.Count} are shown, the other {c.All.Rows.Count - c.Zoo.Rows.Count} are not";

    /// <summary>The zoo's rows of the comparison.</summary>
    public static Microsoft.Data.Analysis.DataFrame ZooRows(ZooAgainstSs c) => c.Zoo.ToDataFrame();
}

/// <summary>/proc against ss for the whole namespace (checked), and the zoo's part of it (shown).</summary>
public sealed record ZooAgainstSs(SsComparison All, SsComparison Zoo);

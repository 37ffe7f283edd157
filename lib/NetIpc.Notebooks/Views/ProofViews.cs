using Microsoft.Data.Analysis;
using NetIpc.Benchmarks;
using NetIpc.Harness;
using NetIpc.Hosts;
using NetIpc.Notebooks.Sentences;
using NetIpc.Notebooks.Tables;
using NetIpc.Servers;
using NetIpc.SocketTables;
using NetIpc.Tcp;
using NetIpc.Udp;
using NetIpc.Unix;

namespace NetIpc.Notebooks.Views;

/// <summary>
/// The measured sentence and the checks table of the proofs chapters show only live, named so a cell can pass
/// them to <see cref="Shown.Show{T}"/>.
/// </summary>
public static class ProofViews
{
    public static string Summary(FinAckResult r) => r.Summary;

    public static DataFrame Checks(FinAckResult r) => r.Checks().RequireAll().ToDataFrame();

    public static string Summary(ReusePortRestartResult r) => r.Summary;

    public static DataFrame Checks(ReusePortRestartResult r) => r.Checks().RequireAll().ToDataFrame();

    public static string Summary(PortSharedResult r) => r.Summary;

    public static DataFrame Checks(PortSharedResult r) => r.Checks().RequireAll().ToDataFrame();
}

using System.Net.Sockets;
using Microsoft.Data.Analysis;
using NetIpc.Hosts;
using NetIpc.SocketTables;

namespace NetIpc.Notebooks.Tables;

/// <summary>Chapter 03's tables: what the zoo opened, and who sees which TCP table.</summary>
public static class SocketZooTables
{
    /// <summary>What the zoo opened, one endpoint per row, with the state it should be in; a recording shows only what it is.</summary>
    public static DataFrame Summary(this SocketZoo zoo)
    {
        var parts = zoo.Parts();
        if (zoo.IsRecorded)
        {
            return new DataFrame(new StringDataFrameColumn("what", parts.Select(p => p.What)));
        }
        return new DataFrame(
            new StringDataFrameColumn("what", parts.Select(p => p.What)),
            new StringDataFrameColumn("expected state", parts.Select(p => p.ExpectedState)),
            new StringDataFrameColumn("its line (local → remote)", parts.Select(p => p.Where)));
    }

    extension(TablesPerNamespace)
    {
        public static DataFrame ChildProcessView(SocketZoo zoo) => TablesPerNamespace.ChildProcess(zoo).ToDataFrame();

        public static DataFrame ChildProcessView(Socket listener) => TablesPerNamespace.ChildProcess(listener).ToDataFrame();

        public static DataFrame NewNamespaceView(SocketZoo zoo) => TablesPerNamespace.NewNamespace(zoo).ToDataFrame();

        public static DataFrame NewNamespaceView(Socket listener) => TablesPerNamespace.NewNamespace(listener).ToDataFrame();
    }

    /// <summary>One row per view; where the comparison did not run, one row saying why, in place of numbers.</summary>
    public static DataFrame ToDataFrame(this TableComparison comparison)
    {
        if (comparison.NotRun is not null)
        {
            return new DataFrame(new StringDataFrameColumn("who reads", [comparison.NotRun]));
        }
        var views = comparison.Views;
        return new DataFrame(
            new StringDataFrameColumn("who reads", views.Select(v => v.Viewer)),
            new StringDataFrameColumn("file", views.Select(v => v.File)),
            new Int32DataFrameColumn("sockets in its fd table", views.Select(v => v.SocketsInItsFdTable)),
            new Int32DataFrameColumn("lines in tcp + tcp6", views.Select(v => v.LinesInTable)),
            new BooleanDataFrameColumn("lists this process's listener", views.Select(v => v.ShowsTheListener)),
            new StringDataFrameColumn("inode of the LISTEN line on the port", views.Select(v => v.ListenerInodeOnPort?.ToString() ?? "none")));
    }
}

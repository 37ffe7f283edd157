using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Proc;
using NetIpc.SocketTables;
using NetIpc.Sockets;

namespace NetIpc.Hosts;

/// <summary>One process's (or namespace's) view of the TCP table.</summary>
public sealed record TableView(string Viewer, string File, int SocketsInItsFdTable, int LinesInTable, bool ShowsTheListener, ulong? ListenerInodeOnPort);

/// <summary>The views compared, or why the comparison did not run (then there are none).</summary>
public sealed record TableComparison(IReadOnlyList<TableView> Views, string? NotRun = null)
{
    public static TableComparison NotRunBecause(string reason) => new([], $"not run: {reason}");
}

/// <summary>
/// Chapter 03: /proc/&lt;pid&gt;/net/tcp belongs to the network namespace, not to the process.
/// A child process that owns no sockets reads the same table as this one; a thread in a new
/// namespace reads a different one, where the same port is free again.
/// </summary>
public static class TablesPerNamespace
{
    /// <summary>Starts <c>sleep</c>, a process with no sockets at all, and compares its table with this process's.</summary>
    public static TableComparison ChildProcess(SocketZoo zoo) => zoo.Listener is null ? NeedsLiveKernel() : ChildProcess(zoo.Listener);

    /// <summary>What to show instead where the experiment cannot run: a plain statement, not numbers.</summary>
    private static TableComparison NeedsLiveKernel() => TableComparison.NotRunBecause(
        "this needs a live Linux kernel. (The recordings in data/proc were each captured in a network namespace of its own, which is why they hold only the capture's sockets.)");

    public static TableComparison ChildProcess(Socket listener)
    {
        ulong inode = Descriptor.InodeOf(listener);
        int port = listener.LocalPort();
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start sleep");
        try
        {
            // Read both in the same moment, as far as possible: the machine's other sockets keep changing.
            var ours = ProcNet.Self.TcpAll();
            var theirs = ProcNet.OfProcess(child.Id).TcpAll();
            return new TableComparison(
            [
                View($"this process (pid {Environment.ProcessId})", "/proc/self/net/tcp", ProcessFds.OfSelf(), ours, inode, port),
                View($"sleep (pid {child.Id})", $"/proc/{child.Id}/net/tcp", ProcessFds.Of(child.Id), theirs, inode, port),
            ]);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    /// <summary>
    /// Binds the same address and port as <paramref name="listener"/> inside a new network namespace:
    /// no EADDRINUSE, and each table lists only its own listener. Where the namespace cannot be had,
    /// one row says why (<see cref="TwinListener"/> declares what it needs).
    /// </summary>
    public static TableComparison NewNamespace(SocketZoo zoo) => zoo.Listener is null ? NeedsLiveKernel() : NewNamespace(zoo.Listener);

    public static TableComparison NewNamespace(Socket listener)
    {
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        ulong hostListener = Descriptor.InodeOf(listener);
        TableView inside;
        try
        {
            inside = TwinListener.Run((endpoint.Port, hostListener));
        }
        catch (CapabilityMissingException e)
        {
            return TableComparison.NotRunBecause(e.Message);
        }
        var outside = View($"this process (pid {Environment.ProcessId})", "/proc/self/net/tcp", ProcessFds.OfSelf(),
            ProcNet.Self.TcpAll(), hostListener, endpoint.Port);
        return new TableComparison([outside, inside]);
    }

    /// <summary>
    /// A thread in a new network namespace listens on <c>Port</c> of 0.0.0.0 and reads its own table. Run
    /// in a child process (inside a user namespace) it is the child's thread, and the row says so.
    /// </summary>
    public static readonly IsolatedExperiment<(int Port, ulong HostListenerInode), TableView> TwinListener = new(
        "twin-listener", "03", [Capability.NetworkNamespace],
        a => NetworkNamespace.Run((net, _) =>
        {
            // A new namespace's loopback starts down; binding to 0.0.0.0 works regardless.
            using var twin = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            twin.Bind(new IPEndPoint(IPAddress.Any, a.Port));
            twin.Listen(1);
            string whose = Capabilities.IsUserNamespaceChild ? $"a child process (pid {Environment.ProcessId} in its own namespaces)" : "this process";
            return View($"a thread of {whose}, in a new network namespace", "/proc/self/task/<tid>/net/tcp",
                ProcessFds.OfSelf(), net.TcpAll(), a.HostListenerInode, a.Port);
        }));

    private static TableView View(string viewer, string file, IReadOnlyList<FileDescriptor> fds, TcpTable table, ulong listenerInode, int port) =>
        new(viewer, file, fds.Count(f => f.SocketInode is not null), table.Count,
            table.Any(e => e.Inode == listenerInode),
            table.FirstOrDefault(e => e.State == KernelTcpState.Listen && e.Local.Port == port)?.Inode);
}

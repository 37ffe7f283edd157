using System.Runtime.InteropServices;
using NetIpc.Native;
using NetIpc.Proc;
using NetIpc.Tools;

namespace NetIpc.Namespaces;

/// <summary>
/// A network namespace of its own for one piece of work: a dedicated thread calls
/// <c>unshare(CLONE_NEWNET)</c>, so only that thread moves into a fresh namespace (its own loopback,
/// its own socket tables, its own sysctls), runs the work, and exits. The namespace disappears with the
/// thread once the work has closed its sockets; nothing on the host changes.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>
    /// Why this process cannot create a network namespace itself, or null when it can — found by trying
    /// (<see cref="Capabilities"/>). An experiment that needs one declares it (<see cref="IsolatedExperiment"/>)
    /// and may still run in a child process inside a user namespace where this is not null.
    /// </summary>
    public static string? Unavailable => Capabilities.Of(Capability.NetworkNamespace) is { Allowed: false } probe ? probe.Outcome : null;

    /// <summary>Sets the new namespace's loopback up (it starts down). Call it from inside <see cref="Run{T}"/>.</summary>
    public static void BringLoopbackUp() => Ip("link set lo up");

    /// <summary>
    /// Runs the <c>ip</c> command (iproute2) in the calling thread's namespace — a child process starts in
    /// the namespace of the thread that forks it — so, from inside <see cref="Run{T}"/>, it changes only
    /// the experiment's own namespace.
    /// </summary>
    public static void Ip(string arguments) => IpOutput(arguments);

    /// <summary>As <see cref="Ip"/>, returning what ip printed; a failure names the command, its exit code and stderr.</summary>
    public static string IpOutput(string arguments) =>
        ExternalCommand.Run("ip", arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromSeconds(5)).EnsureSuccess();

    /// <summary>Runs <paramref name="work"/> on a thread inside a new network namespace and returns its result.</summary>
    /// <param name="limit">How long the work may take before the caller gives up waiting.</param>
    public static T Run<T>(Func<ProcNet, T> work, TimeSpan? limit = null)
    {
        if (Unavailable is string reason)
        {
            throw new PlatformNotSupportedException(reason);
        }
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (LibC.Unshare(LibC.CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"unshare(CLONE_NEWNET) failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
                }
                result = work(ProcNet.CurrentThread);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "network namespace" };
        thread.Start();
        if (!thread.Join(limit ?? TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the work in the network namespace did not finish in time");
        }
        if (failure is not null)
        {
            throw new InvalidOperationException($"in a new network namespace: {failure.Message}", failure);
        }
        return result!;
    }
}

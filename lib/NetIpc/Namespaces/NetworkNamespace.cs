using System.Runtime.InteropServices;
using NetIpc.Commands;
using NetIpc.Isolation;
using NetIpc.Native;
using NetIpc.Proc;

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

    /// <summary>How long <see cref="Run{T}"/> waits, after cancelling work that ran out of time, for its thread to end.</summary>
    internal static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Runs <paramref name="work"/> on a thread inside a new network namespace and returns its result. The work
    /// gets the namespace's /proc/net and a token that is cancelled when <paramref name="limit"/> has passed.
    /// </summary>
    /// <remarks>
    /// A thread cannot be killed from outside, so work that runs out of time must end itself; it is cancellable when
    /// nothing it blocks in is out of the token's reach:
    /// <list type="bullet">
    /// <item>every socket it may block on (accept, connect, receive, send) is closed by the token —
    /// <c>using var _ = cancel.Register(socket.Dispose);</c> — because on Linux closing a socket wakes the calls
    /// blocked on it, which then throw;</item>
    /// <item>waits and loops take the token (<c>cancel.WaitHandle.WaitOne(t)</c>, <c>cancel.ThrowIfCancellationRequested()</c>).</item>
    /// </list>
    /// After cancelling, Run waits <see cref="CancelGrace"/> for the thread; a thread still inside Thread.Sleep,
    /// Join or a lock wait is then interrupted (ThreadInterruptedException) and waited for once more. Only when it
    /// has ended does the TimeoutException say so; work that ignores all of this is reported as still running.
    /// </remarks>
    /// <param name="limit">How long the work may take before it is cancelled.</param>
    public static T Run<T>(Func<ProcNet, CancellationToken, T> work, TimeSpan? limit = null)
    {
        if (Unavailable is string reason)
        {
            throw new PlatformNotSupportedException(reason);
        }
        var allowed = limit ?? TimeSpan.FromSeconds(30);
        NamespaceThreads.StartRuntimeThreadsOutside();
        T? result = default;
        Exception? failure = null;
        string? ns = null;
        int owner = 0;
        using var cancel = new CancellationTokenSource();
        var token = cancel.Token; // read here: the thread may outlive the source's disposal only if it ignores the token
        var thread = new Thread(() =>
        {
            try
            {
                if (LibC.Unshare(LibC.CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"unshare(CLONE_NEWNET) failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
                }
                (ns, owner) = (NamespaceThreads.OfCurrentThread(), LibC.GetThreadId());
                result = work(ProcNet.CurrentThread, token);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "network namespace" };
        thread.Start();
        if (!thread.Join(allowed))
        {
            throw Cancel(thread, cancel, allowed);
        }
        if (failure is not null)
        {
            throw new InvalidOperationException($"in a new network namespace: {failure.Message}", failure);
        }
        NamespaceThreads.RequireNoneLeftIn(ns!, owner, "after the work in a new network namespace");
        return result!;
    }

    private static TimeoutException Cancel(Thread thread, CancellationTokenSource cancel, TimeSpan allowed)
    {
        string late = $"the work in the network namespace did not finish within {allowed.TotalSeconds:0.###} s";
        try
        {
            cancel.Cancel(); // runs the work's registrations: its sockets close and its blocked calls return
        }
        catch (AggregateException e)
        {
            // A registration that threw must not hide the timeout; the thread is still waited for below.
            late += $"; cancelling it threw: {e.InnerException?.Message}";
        }
        if (!thread.Join(CancelGrace))
        {
            // A thread asleep or waiting on a managed lock does not see the token; an interrupt wakes it.
            thread.Interrupt();
            if (!thread.Join(CancelGrace))
            {
                return new TimeoutException($"{late}, and it is still running {2 * CancelGrace.TotalSeconds:0} s after it was cancelled and interrupted: " +
                    "it blocks in something neither closing its sockets nor an interrupt reaches (see NetworkNamespace.Run)");
            }
        }
        return new TimeoutException($"{late}: it was cancelled and its thread has ended");
    }
}

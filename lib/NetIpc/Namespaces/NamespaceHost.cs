using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using NetIpc.Native;
using NetIpc.Proc;

namespace NetIpc.Namespaces;

/// <summary>
/// A network namespace that lives as long as this object: a dedicated thread unshares into it and then
/// runs whatever work is handed to it, so sockets and <c>ip</c> commands can be created inside at any
/// time. Dispose ends the thread, and with it the namespace and every interface in it.
/// </summary>
public sealed class NamespaceHost : IDisposable
{
    private readonly BlockingCollection<Action> work = [];
    private readonly Thread thread;
    private readonly TaskCompletionSource<int> started = new();

    public NamespaceHost(string name)
    {
        if (NetworkNamespace.Unavailable is string reason)
        {
            throw new PlatformNotSupportedException(reason);
        }
        Name = name;
        NamespaceThreads.StartRuntimeThreadsOutside();
        thread = new Thread(Loop) { IsBackground = true, Name = "network namespace" };
        thread.Start();
        try
        {
            ThreadId = Await(started.Task, TimeSpan.FromSeconds(10), "the namespace's thread to start");
            Run(() => NetworkNamespace.BringLoopbackUp());
        }
        catch
        {
            // No caller will ever Dispose a host whose constructor threw: end its thread here, or it waits for work forever.
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    /// <summary>How long Dispose waits for the thread to finish its last action (shortened by tests).</summary>
    internal TimeSpan DisposeWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The thread's id: /proc/&lt;id&gt;/ns/net names this namespace (what <c>ip link set … netns</c> takes).</summary>
    public int ThreadId { get; }

    /// <summary>This namespace's /proc/net, readable from any thread.</summary>
    public ProcNet Net => new($"/proc/self/task/{ThreadId}/net", false);

    private void Loop()
    {
        if (LibC.Unshare(LibC.CloneNewNet) != 0)
        {
            started.SetException(new InvalidOperationException($"unshare(CLONE_NEWNET) failed: {Errno.Describe(Marshal.GetLastPInvokeError())}"));
            return;
        }
        started.SetResult(LibC.GetThreadId());
        foreach (var action in work.GetConsumingEnumerable())
        {
            action();
        }
    }

    /// <summary>Runs <paramref name="action"/> on the namespace's thread and waits for it.</summary>
    public T Run<T>(Func<T> action)
    {
        if (Environment.CurrentManagedThreadId == thread.ManagedThreadId)
        {
            return action(); // already inside: queueing would wait for ourselves
        }
        var done = new TaskCompletionSource<T>();
        work.Add(() =>
        {
            try
            {
                done.SetResult(action());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return Await(done.Task, TimeSpan.FromSeconds(30), "an action inside the namespace");
    }

    /// <summary>
    /// Waits for a result the namespace's thread sets. Not WaitAsync, nor continuations run asynchronously: both
    /// queue thread-pool work from the namespace's thread, which can start pool threads inside the namespace
    /// (see <see cref="NamespaceThreads"/>); a blocking wait is woken inline.
    /// </summary>
    private static T Await<T>(Task<T> task, TimeSpan limit, string what)
    {
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(limit))
        {
            throw new TimeoutException($"gave up waiting {limit.TotalSeconds:0} s for {what}");
        }
        return task.GetAwaiter().GetResult();
    }

    public void Run(Action action) => Run(() =>
    {
        action();
        return 0;
    });

    /// <summary>Runs <c>ip</c> inside this namespace.</summary>
    public void Ip(string arguments) => Run(() => NetworkNamespace.Ip(arguments));

    /// <summary>Runs <c>ip</c> inside this namespace and returns what it printed.</summary>
    public string IpOutput(string arguments) => Run(() => NetworkNamespace.IpOutput(arguments));

    public void Dispose()
    {
        if (work.IsAddingCompleted)
        {
            return;
        }
        work.CompleteAdding();
        // A thread still inside a hung action will read the queue again when the action returns; disposing the
        // queue under it would throw ObjectDisposedException on a background thread and end the process. Left
        // undisposed, the queue is collected with the thread.
        if (thread.Join(DisposeWait))
        {
            work.Dispose();
        }
    }
}

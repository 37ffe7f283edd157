using NetIpc.Sockets;

namespace NetIpc.Notebooks.Exercises;

/// <summary>How a learner's function ended when a checker ran it.</summary>
public enum LearnerCodeEnd
{
    Returned,
    /// <summary>It still throws the placeholder's NotImplementedException.</summary>
    NotWritten,
    Threw,
    /// <summary>Still running at the limit; the descriptors it opened through Sys were closed to wake it.</summary>
    TimedOut,
}

/// <summary>
/// A learner's function running on a thread of its own while the checker plays the other side. Bounded:
/// at the limit (and on <see cref="Dispose"/>) every descriptor its thread opened through <see cref="Sys"/>
/// is closed, which wakes a call blocked in accept, read or connect, so a wrong answer never hangs the
/// chapter and never leaks a socket. Only that thread's descriptors: the chapter's own stay open.
/// </summary>
public sealed class LearnerCode<T> : IDisposable
{
    private readonly Thread thread;
    private readonly TaskCompletionSource<(LearnerCodeEnd End, T? Value, Exception? Error)> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LearnerCode(Func<T> code, string name)
    {
        thread = new Thread(() =>
        {
            try
            {
                ended.TrySetResult((LearnerCodeEnd.Returned, code(), null));
            }
            catch (NotImplementedException e)
            {
                ended.TrySetResult((LearnerCodeEnd.NotWritten, default, e));
            }
            catch (Exception e)
            {
                ended.TrySetResult((LearnerCodeEnd.Threw, default, e));
            }
        })
        { IsBackground = true, Name = name };
    }

    public static LearnerCode<T> Start(Func<T> code, string name = "learner's code")
    {
        var run = new LearnerCode<T>(code, name);
        run.thread.Start();
        return run;
    }

    public bool HasEnded => ended.Task.IsCompleted;

    /// <summary>The descriptors the learner's thread opened through Sys and has not closed.</summary>
    public IReadOnlyList<int> OpenedDescriptors() => Sys.OpenDescriptorsOf(thread.ManagedThreadId);

    /// <summary>Waits up to <paramref name="limit"/>; at the limit, closes what the code opened and waits a little more for it to notice.</summary>
    public (LearnerCodeEnd End, T? Value, Exception? Error) Wait(TimeSpan limit)
    {
        if (ended.Task.Wait(limit)) return ended.Task.Result;
        CloseWhatItOpened();
        ended.Task.Wait(TimeSpan.FromSeconds(2));
        return (LearnerCodeEnd.TimedOut, default, null);
    }

    /// <summary>Closes every descriptor the code opened through Sys and has not closed itself; returns how many.</summary>
    public int CloseWhatItOpened()
    {
        int closed = 0;
        foreach (int fd in OpenedDescriptors())
        {
            if (Sys.close(fd) == 0) closed++;
        }
        return closed;
    }

    /// <summary>Stops the code if it still runs and closes whatever it left open: a checker never leaks the learner's sockets.</summary>
    public void Dispose()
    {
        if (!HasEnded) Wait(TimeSpan.Zero);
        CloseWhatItOpened();
    }

    /// <summary>"NotImplementedException" → not answered; any other exception → its type and message, for the verdict.</summary>
    public static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}

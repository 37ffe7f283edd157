using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace CourseKernel;

/// <summary>
/// Interrupts a cell that blocks the thread it runs on. .NET Interactive's Cancel only cancels the
/// submission's token and marks the command failed; a cell blocked in Thread.Sleep, Wait or Join never
/// looks at the token, and while its code runs synchronously it holds the kernel scheduler's own
/// thread, so no later cell can start. .NET cannot abort a thread, but Thread.Interrupt wakes one that
/// blocks, or will block, in a managed wait with a ThreadInterruptedException — the closest thing to
/// Python's KeyboardInterrupt. Out of reach: a thread blocked inside a system call (a blocking
/// Socket.Accept or Receive waits in the kernel), and a loop that never blocks; the kernel has to be
/// restarted then.
/// </summary>
/// <remarks>
/// A middleware records the thread a cell's submission starts on, for as long as the submission runs
/// synchronously on it (compilation included). Interrupts are aimed at a cell (its root command), not at
/// whatever runs: the scheduler may still be busy with work it does before the cell's submission starts
/// (the Cancel then lands there and the cell would run anyway), so an interrupted cell whose submission
/// starts later interrupts itself, and the interrupt fires at its first blocking call. Once a submission
/// returns or yields to an await, the thread belongs to the scheduler again and must never see an
/// interrupt: one pending there would fault the scheduler's run loop and end the kernel. Hence the lock
/// that makes "is that cell still on its thread?" and "interrupt it" one step, and the drain when the
/// submission leaves the thread. Code after a cell's first real await runs on a pool thread this does
/// not track; Cancel already frees the scheduler then.
/// </remarks>
public sealed class CellInterrupter
{
    private readonly object _gate = new();
    private Submission? _current;
    // The last interrupt a host aimed at a cell, and that interrupt's identity: a submission of that
    // cell that starts later interrupts itself.
    private KernelCommand? _aimedCell;
    private object? _aimedRequest;

    private sealed class Submission(Thread thread, KernelCommand cell)
    {
        public Thread Thread { get; } = thread;
        public KernelCommand Cell { get; } = cell;
        // The interrupt request that already woke this submission: one request interrupts it once, so a
        // cell's own catch or finally can block (join a thread, dispose a server) without being cut short.
        public object? InterruptedBy { get; set; }
    }

    /// <summary>
    /// Adds the middleware to <paramref name="kernel"/> (the composite, so magic commands count too). It also
    /// follows every Cancel that reaches the kernel (Polyglot Notebooks sends one for its Interrupt button)
    /// with an interrupt of the cell that held its thread when the Cancel came.
    /// </summary>
    public void Attach(Kernel kernel)
    {
        // And to each subkernel: a Cancel aimed at the csharp kernel (a proxy forwards it so) runs through
        // that kernel's pipeline alone. A submission already tracked one level up is not tracked again.
        if (kernel is CompositeKernel composite)
            foreach (var child in composite.ChildKernels) Attach(child);
        kernel.AddMiddleware(Middleware);
    }

    private async Task Middleware(KernelCommand command, KernelInvocationContext context, KernelPipelineContinuation next)
    {
        if (command is Cancel)
        {
            // The Cancel runs on the caller's thread, not the scheduler's: a cell that holds its thread is
            // still current here, and the scheduler cannot move on to another cell until it lets go.
            // (.NET Interactive cancels the scheduler's operation just before this runs; a cell that had
            // already yielded could let the next one start in between. Hosts that know which cell they
            // interrupt use Interrupt(cell, …), which never touches another cell.)
            var running = Volatile.Read(ref _current);
            await next(command, context);
            lock (_gate)
            {
                if (running is null || !ReferenceEquals(_current, running)) return;
                if (_aimedRequest is not null && !ReferenceEquals(running.Cell, _aimedCell)) return;
                // The subkernels see the same Cancel (its root command); a host's interrupt is one request.
                InterruptOnce(running, _aimedRequest ?? Root(command));
            }
            return;
        }
        if (command is not SubmitCode || Volatile.Read(ref _current) is not null)
        {
            // Not a cell, or a part of the cell already tracked (the composite kernel hands each part
            // of a cell to its subkernel through the same pipeline).
            await next(command, context);
            return;
        }
        var submission = new Submission(Thread.CurrentThread, Root(command));
        lock (_gate)
        {
            _current = submission;
            if (ReferenceEquals(submission.Cell, _aimedCell)) InterruptOnce(submission, _aimedRequest!);
        }
        Task rest;
        try { rest = next(command, context); }
        finally { Leave(submission); }
        await rest;
    }

    /// <summary>
    /// Interrupts <paramref name="cell"/> (the command the host sent for it): runs <paramref name="cancel"/>
    /// (which sends the kernel a Cancel), then makes sure the thread the cell's submission holds is
    /// interrupted, now or when the submission starts — once for this call, and never another cell's.
    /// </summary>
    public void Interrupt(KernelCommand cell, Action cancel)
    {
        var request = new object();
        lock (_gate)
        {
            _aimedCell = cell;
            _aimedRequest = request;
        }
        cancel();
        lock (_gate)
            if (_current is { } running && ReferenceEquals(running.Cell, cell)) InterruptOnce(running, request);
    }

    /// <summary>Whether <paramref name="cell"/> is the one the last aimed interrupt was for.</summary>
    public bool WasInterrupted(KernelCommand cell)
    {
        lock (_gate) return ReferenceEquals(_aimedCell, cell);
    }

    // Called under _gate, with the submission current: it still holds its thread.
    private static void InterruptOnce(Submission submission, object request)
    {
        if (ReferenceEquals(submission.InterruptedBy, request)) return;
        submission.InterruptedBy = request;
        submission.Thread.Interrupt();
    }

    private static KernelCommand Root(KernelCommand command)
    {
        while (command.Parent is { } parent) command = parent;
        return command;
    }

    private void Leave(Submission submission)
    {
        while (true)
        {
            // Taking the lock can itself be interrupted when Interrupt holds it at this moment.
            try
            {
                lock (_gate)
                    if (ReferenceEquals(_current, submission)) _current = null;
                break;
            }
            catch (ThreadInterruptedException) { }
        }
        // An interrupt that reached the thread after the cell's last blocking call is still pending;
        // Sleep(0) takes it, so it cannot fire in the scheduler's next wait.
        try { Thread.Sleep(0); }
        catch (ThreadInterruptedException) { }
    }
}

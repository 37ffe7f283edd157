using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using NetMQ;
using NetMQ.Sockets;

namespace CourseKernel.Jupyter;

/// <summary>
/// Running a cell: execute_request, the requests a failed cell aborts (stop_on_error), the error it
/// reports, and interrupt_request.
/// </summary>
public sealed partial class JupyterHost
{
    private void Execute(RouterSocket shell, JupyterMessage request)
    {
        if (_aborting)
        {
            Reply(shell, request, "execute_reply", new JsonObject { ["status"] = "aborted" });
            return;
        }
        string code = (string?)request.Content["code"] ?? "";
        bool silent = (bool?)request.Content["silent"] ?? false;
        bool storeHistory = !silent && ((bool?)request.Content["store_history"] ?? true);
        int count = storeHistory ? Interlocked.Increment(ref _executionCount) : _executionCount;
        // The interrupt target from here on: a front end may interrupt as soon as it sees execute_input.
        var cell = new SubmitCode(code);
        _cell = cell;
        if (!silent)
            Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        _outputParent = request;
        JsonObject reply;
        if (string.IsNullOrWhiteSpace(code))
        {
            reply = Ok(count);
        }
        else
        {
            // Sent to the composite kernel as the stdio host's clients do, so #r, #!import and the other
            // magic commands are parsed before the C# reaches the compiler.
            var result = _kernel.SendAsync(cell).GetAwaiter().GetResult();
            var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
            if (failed is null)
            {
                reply = Ok(count);
            }
            else
            {
                var error = _interrupter.WasInterrupted(cell) ? Interrupted(failed) : ErrorContent(failed);
                Publish("error", (JsonObject)error.DeepClone(), request);
                error["status"] = "error";
                error["execution_count"] = count;
                reply = error;
            }
        }
        // As ipykernel: a silent request (a front end's own probe) that fails aborts nothing.
        if ((string?)reply["status"] == "error" && !silent && ((bool?)request.Content["stop_on_error"] ?? true))
            _waitingAtError = TakeWaiting(shell);
        Reply(shell, request, "execute_reply", reply);

        static JsonObject Ok(int count) => new()
        {
            ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray(),
        };
    }

    /// <summary>
    /// Jupyter's stop_on_error, as ipykernel does it: after a failed or interrupted cell, the execute
    /// requests already waiting on shell (the rest of a "Run All") are answered "aborted" instead of run;
    /// any other request waiting there is served as usual.
    /// </summary>
    private void AbortWaiting(RouterSocket shell, List<List<byte[]>> waiting)
    {
        _aborting = true;
        try { foreach (var frames in waiting) Dispatch("shell", shell, HandleShell, frames); }
        finally { _aborting = false; }
    }

    /// <summary>
    /// What waits on shell when a cell has failed, taken before its execute_reply goes out: a request sent
    /// after the client saw that reply (the next cell a user runs) is never among them, however late this
    /// thread gets to the abort (draining after the reply once aborted such a cell under load).
    /// </summary>
    private static List<List<byte[]>> TakeWaiting(RouterSocket shell)
    {
        var waiting = new List<List<byte[]>>();
        var frames = new List<byte[]>();
        while (shell.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            waiting.Add(frames);
            frames = new List<byte[]>();
        }
        return waiting;
    }

    private static JsonObject Interrupted(CommandFailed failed) => new()
    {
        ["ename"] = "Interrupted",
        ["evalue"] = "the cell was interrupted",
        ["traceback"] = new JsonArray("Interrupted: the cell was cancelled, and its thread woken if it was blocked.", failed.Message),
    };

    private static JsonObject ErrorContent(CommandFailed failed)
    {
        // The kernel's message already holds the compiler's diagnostics or the exception's text; the
        // stack trace of a cell's exception comes after it, as .NET prints it.
        string ename = failed.Exception?.GetType().Name ?? (failed.Message.Contains("error CS") ? "CompilationError" : "Error");
        var traceback = new JsonArray();
        foreach (var line in (failed.Exception?.ToString() ?? failed.Message).Split('\n')) traceback.Add(line.TrimEnd('\r'));
        return new JsonObject { ["ename"] = ename, ["evalue"] = failed.Message, ["traceback"] = traceback };
    }

    /// <summary>
    /// .NET Interactive's Cancel cancels the running cell's token and completes its command as failed,
    /// so the cell gets its execute_reply at once; <see cref="CellInterrupter"/> then wakes the cell's
    /// thread if it is blocked, so that the next cell can run on it.
    /// </summary>
    private void Interrupt(RouterSocket control, JupyterMessage request)
    {
        // Before any cell ran there is nothing to interrupt, and nothing to cancel.
        if (_cell is { } cell) _interrupter.Interrupt(cell, () =>
        {
            if (!_kernel.SendAsync(new Cancel()).Wait(TimeSpan.FromSeconds(10)))
                Log.WriteLine("CourseKernel jupyter: the kernel did not confirm the interrupt within 10 s");
        });
        Reply(control, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
    }
}

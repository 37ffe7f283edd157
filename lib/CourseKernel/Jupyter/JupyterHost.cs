using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using NetMQ;
using NetMQ.Sockets;

namespace CourseKernel.Jupyter;

/// <summary>
/// Serves <see cref="CourseKernelFactory"/>'s kernel over the Jupyter messaging protocol (5.3), so that
/// Jupyter Notebook, JupyterLab, VS Code's Jupyter extension and nbconvert run the course. Shell and
/// control each have a thread: control must be answered (interrupt, shutdown) while shell is busy running
/// a cell. Output events reach iopub from whatever thread the kernel raised them on, hence its lock.
/// </summary>
public sealed class JupyterHost : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly ConnectionFile _connection;
    private readonly MessageSigner _signer;
    private readonly CompositeKernel _kernel;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    // iopub is written by one thread of its own. Output events arrive on the cell's thread, which an
    // interrupt may hit: there they only enqueue (lock-free) and signal (a native event, which
    // Thread.Interrupt does not reach), so an interrupt never lands in the host's own publishing.
    private readonly ConcurrentQueue<NetMQMessage> _iopubQueue = new();
    private readonly AutoResetEvent _iopubReady = new(false);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _events;
    private readonly CellInterrupter _interrupter = new();
    private int _executionCount;
    // The shell requests that were already waiting when a cell failed, taken off the socket before its
    // execute_reply went out, and answered (execute requests "aborted") once its idle status is out;
    // _aborting is set while they are.
    private List<List<byte[]>>? _waitingAtError;
    private bool _aborting;
    // The request whose cell is running: output events are published as its children. Kept after the
    // cell ends, so that output a cell's background work writes later still lands under that cell.
    private volatile JupyterMessage? _outputParent;
    // The command of the cell that runs or ran last: what an interrupt_request interrupts.
    private volatile SubmitCode? _cell;

    // Cell output goes through Console during a submission, so the host's own log writes to the
    // process's stderr directly: a rejected message is never mistaken for a cell's output.
    private static readonly TextWriter Log = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };

    private JupyterHost(ConnectionFile connection)
    {
        _connection = connection;
        _signer = new MessageSigner(connection.Key);
        _kernel = CourseKernelFactory.Create(_interrupter);
        _events = _kernel.KernelEvents.Subscribe(PublishOutput);
        foreach (var (socket, port) in new (NetMQSocket, int)[] { (_shell, connection.ShellPort), (_control, connection.ControlPort), (_stdin, connection.StdinPort), (_iopub, connection.IopubPort), (_heartbeat, connection.HbPort) })
        {
            // Short linger: a reply sent just before shutdown still leaves, and the process does not hang on exit.
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Bind(connection.Address(port));
        }
    }

    public static async Task<int> RunAsync(string connectionFilePath, CancellationToken cancellation)
    {
        ConnectionFile connection;
        try { connection = ConnectionFile.Read(connectionFilePath); }
        catch (ConnectionFileException e)
        {
            Log.WriteLine($"CourseKernel jupyter: {e.Message}");
            return 2;
        }
        using var host = new JupyterHost(connection);
        if (!host._signer.Enabled)
            Log.WriteLine($"CourseKernel jupyter: connection file {connectionFilePath} has an empty \"key\": messages are not signed");
        using var registration = cancellation.Register(host.Stop);
        host.Publish("status", new JsonObject { ["execution_state"] = "starting" }, parent: null);
        var threads = new[]
        {
            host.Serve("shell", host._shell, host.HandleShell),
            host.Serve("control", host._control, host.HandleControl),
            host.Serve("stdin", host._stdin, (_, _) => { }),
            host.ServeHeartbeat(),
            host.ServeIopub(),
        };
        await host._stopped.Task;
        foreach (var thread in threads) thread.Join(TimeSpan.FromSeconds(2));
        return 0;
    }

    private void Stop()
    {
        _stopping.Cancel();
        _stopped.TrySetResult();
    }

    private Thread Serve(string name, RouterSocket socket, Action<RouterSocket, JupyterMessage> handle)
    {
        var thread = new Thread(() =>
        {
            while (!_stopping.IsCancellationRequested)
                ServeOne(name, socket, handle, Poll);
        }) { Name = "jupyter " + name, IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>Receives one message within <paramref name="wait"/> and handles it; false if none came.</summary>
    private bool ServeOne(string name, RouterSocket socket, Action<RouterSocket, JupyterMessage> handle, TimeSpan wait)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipartBytes(wait, ref frames)) return false;
        Dispatch(name, socket, handle, frames);
        return true;
    }

    private void Dispatch(string name, RouterSocket socket, Action<RouterSocket, JupyterMessage> handle, List<byte[]> frames)
    {
        var message = JupyterMessage.FromWire(frames, _signer, out string? rejection);
        if (message is null)
        {
            Log.WriteLine($"CourseKernel jupyter: dropped a message on {name}: {rejection}");
            return;
        }
        try { handle(socket, message); }
        catch (Exception e) { Log.WriteLine($"CourseKernel jupyter: {message.Type} on {name} failed: {e}"); }
    }

    private Thread ServeIopub()
    {
        var thread = new Thread(() =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                _iopubReady.WaitOne(Poll);
                SendQueued();
            }
            SendQueued(); // a shutdown's last statuses
        }) { Name = "jupyter iopub", IsBackground = true };
        thread.Start();
        return thread;

        void SendQueued()
        {
            while (_iopubQueue.TryDequeue(out var wire)) _iopub.SendMultipartMessage(wire);
        }
    }

    private Thread ServeHeartbeat()
    {
        var thread = new Thread(() =>
        {
            var frames = new List<byte[]>();
            while (!_stopping.IsCancellationRequested)
            {
                frames.Clear();
                if (_heartbeat.TryReceiveMultipartBytes(Poll, ref frames))
                    _heartbeat.SendMultipartBytes(frames);
            }
        }) { Name = "jupyter heartbeat", IsBackground = true };
        thread.Start();
        return thread;
    }

    private void HandleShell(RouterSocket shell, JupyterMessage request)
    {
        // Finally: requests taken off the socket are answered even if the failed cell's own reply could not be sent.
        try { HandleShellRequest(shell, request); }
        finally
        {
            if (_waitingAtError is { } waiting)
            {
                _waitingAtError = null;
                AbortWaiting(shell, waiting);
            }
        }
    }

    private void HandleShellRequest(RouterSocket shell, JupyterMessage request)
    {
        Busy(request, () =>
        {
            switch (request.Type)
            {
                case "execute_request": Execute(shell, request); break;
                case "kernel_info_request": Reply(shell, request, "kernel_info_reply", KernelInfo()); break;
                case "complete_request": Reply(shell, request, "complete_reply", Complete(request.Content)); break;
                case "is_complete_request": Reply(shell, request, "is_complete_reply", IsComplete((string?)request.Content["code"] ?? "")); break;
                case "comm_info_request": Reply(shell, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
                case "history_request": Reply(shell, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
                case "inspect_request": Reply(shell, request, "inspect_reply", new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() }); break;
                case "shutdown_request": Shutdown(shell, request); break;
                default: Log.WriteLine($"CourseKernel jupyter: no handler for {request.Type} on shell"); break;
            }
        });
    }

    private void HandleControl(RouterSocket control, JupyterMessage request)
    {
        Busy(request, () =>
        {
            switch (request.Type)
            {
                case "kernel_info_request": Reply(control, request, "kernel_info_reply", KernelInfo()); break;
                case "interrupt_request": Interrupt(control, request); break;
                case "shutdown_request": Shutdown(control, request); break;
                default: Log.WriteLine($"CourseKernel jupyter: no handler for {request.Type} on control"); break;
            }
        });
    }

    private void Busy(JupyterMessage request, Action handle)
    {
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        try { handle(); }
        finally { Publish("status", new JsonObject { ["execution_state"] = "idle" }, request); }
    }

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

    private void Shutdown(RouterSocket socket, JupyterMessage request)
    {
        bool restart = (bool?)request.Content["restart"] ?? false;
        Reply(socket, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
        // The front end restarts a kernel by starting a new process; this one only has to end.
        Stop();
    }

    private JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "course-kernel",
        ["implementation_version"] = typeof(JupyterHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
        ["language_info"] = new JsonObject
        {
            ["name"] = "C#",
            ["version"] = "13.0",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = "The course's C# kernel (.NET Interactive, with the FSharp.Core Plotly.NET needs)",
        ["help_links"] = new JsonArray(),
    };

    private JsonObject Complete(JsonObject content)
    {
        string code = (string?)content["code"] ?? "";
        int cursor = Utf16Offset(code, (int?)content["cursor_pos"] ?? code.Length);
        var position = ToLinePosition(code, cursor);
        var result = _kernel.SendAsync(new RequestCompletions(code, position)).GetAwaiter().GetResult();
        var produced = result.Events.OfType<CompletionsProduced>().FirstOrDefault();
        var matches = new JsonArray();
        int start = cursor, end = cursor;
        if (produced is not null)
        {
            foreach (var item in produced.Completions) matches.Add(item.InsertText ?? item.DisplayText);
            if (produced.LinePositionSpan is { } span)
            {
                start = FromLinePosition(code, span.Start);
                end = FromLinePosition(code, span.End);
            }
        }
        return new JsonObject
        {
            ["status"] = "ok", ["matches"] = matches,
            ["cursor_start"] = CodePointOffset(code, start), ["cursor_end"] = CodePointOffset(code, end),
            ["metadata"] = new JsonObject(),
        };
    }

    private static JsonObject IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script));
        return SyntaxFactory.IsCompleteSubmission(tree)
            ? new JsonObject { ["status"] = "complete" }
            : new JsonObject { ["status"] = "incomplete", ["indent"] = "" };
    }

    // Jupyter counts cursor positions in Unicode code points (protocol 5.2 on); .NET strings in UTF-16 units.
    private static int Utf16Offset(string text, int codePoints)
    {
        int i = 0;
        for (int n = 0; n < codePoints && i < text.Length; n++) i += char.IsSurrogatePair(text, i) ? 2 : 1;
        return i;
    }

    private static int CodePointOffset(string text, int utf16)
    {
        int n = 0;
        for (int i = 0; i < utf16 && i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1) n++;
        return n;
    }

    private static LinePosition ToLinePosition(string text, int offset)
    {
        int line = 0, lineStart = 0;
        for (int i = 0; i < offset && i < text.Length; i++)
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        return new LinePosition(line, offset - lineStart);
    }

    private static int FromLinePosition(string text, LinePosition position)
    {
        int offset = 0;
        for (int line = 0; line < position.Line && offset < text.Length; offset++)
            if (text[offset] == '\n') line++;
        return Math.Min(text.Length, offset + position.Character);
    }

    /// <summary>The kernel's output events as iopub messages, under the request whose cell produced them.</summary>
    private void PublishOutput(KernelEvent kernelEvent)
    {
        var parent = _outputParent;
        switch (kernelEvent)
        {
            case StandardOutputValueProduced stdout:
                Publish("stream", new JsonObject { ["name"] = "stdout", ["text"] = PlainText(stdout.FormattedValues) }, parent);
                break;
            case StandardErrorValueProduced stderr:
                Publish("stream", new JsonObject { ["name"] = "stderr", ["text"] = PlainText(stderr.FormattedValues) }, parent);
                break;
            case DisplayedValueUpdated updated:
                Publish("update_display_data", DisplayContent(updated.FormattedValues, updated.ValueId), parent);
                break;
            case DisplayedValueProduced displayed:
                Publish("display_data", DisplayContent(displayed.FormattedValues, displayed.ValueId), parent);
                break;
            case ReturnValueProduced returned:
                // A silent request (a front end's own probe) gets no execute_result, as in ipykernel.
                if ((bool?)parent?.Content["silent"] == true) break;
                var content = DisplayContent(returned.FormattedValues, valueId: null);
                content["execution_count"] = _executionCount;
                Publish("execute_result", content, parent);
                break;
        }
    }

    private static string PlainText(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? values.FirstOrDefault()?.Value ?? "";

    private static JsonObject DisplayContent(IReadOnlyCollection<FormattedValue> values, string? valueId)
    {
        var data = new JsonObject();
        foreach (var value in values.Where(v => !v.SuppressDisplay))
        {
            // nbformat stores JSON MIME types (application/vnd.plotly.v1+json) as JSON, not as a string:
            // renderers read the figure as an object.
            data[value.MimeType] = value.MimeType.EndsWith("json", StringComparison.Ordinal) && TryParse(value.Value) is { } json
                ? json
                : value.Value;
        }
        var content = new JsonObject { ["data"] = data, ["metadata"] = new JsonObject() };
        if (valueId is not null) content["transient"] = new JsonObject { ["display_id"] = valueId };
        return content;
    }

    private static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    private void Reply(RouterSocket socket, JupyterMessage request, string type, JsonObject content)
    {
        var wire = JupyterMessage.Create(type, content, request, _session).ToWire(_signer);
        socket.SendMultipartMessage(wire);
    }

    private void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var message = JupyterMessage.Create(type, content, parent, _session, identities: [Encoding.UTF8.GetBytes(type)]);
        _iopubQueue.Enqueue(message.ToWire(_signer));
        _iopubReady.Set();
    }

    public void Dispose()
    {
        _events.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Dispose();
        _iopubReady.Dispose();
        _kernel.Dispose();
        _stopping.Dispose();
    }
}

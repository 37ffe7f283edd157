using System.Reflection;
using System.Text.Json.Nodes;
using NetMQ.Sockets;

namespace CourseKernel.Jupyter;

/// <summary>The shell and control requests, each answered between a busy and an idle status.</summary>
public sealed partial class JupyterHost
{
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
}

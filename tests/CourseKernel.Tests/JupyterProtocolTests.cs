using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace CourseKernel.Tests;

/// <summary>The kernel's Jupyter mode spoken to directly, message by message, as the messaging spec (5.3) describes it.</summary>
public class JupyterProtocolTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(60), Reply = TimeSpan.FromSeconds(60);

    [Fact]
    public void Kernel_info_and_an_execution_follow_the_spec()
    {
        using var client = new JupyterClient();
        var watch = Stopwatch.StartNew();
        var info = client.WaitUntilReady(Start);
        Console.WriteLine($"kernel_info_reply {watch.Elapsed.TotalSeconds:0.0} s after start");
        Assert.Equal("kernel_info_reply", (string?)info["header"]!["msg_type"]);
        Assert.Equal("5.3", (string?)info["content"]!["protocol_version"]);
        Assert.Equal("C#", (string?)info["content"]!["language_info"]!["name"]);

        string id = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "1+1", ["silent"] = false, ["store_history"] = true });
        var reply = client.Receive(client.Shell, Reply) ?? throw new TimeoutException("no execute_reply\n" + client.KernelStderr);
        Assert.Equal(id, (string?)reply["parent_header"]!["msg_id"]);
        Assert.Equal("ok", (string?)reply["content"]!["status"]);
        Assert.Equal(1, (int?)reply["content"]!["execution_count"]);

        var iopub = client.IopubUntilIdle(id, Reply);
        Assert.Equal(["status", "execute_input", "execute_result", "status"], iopub.Select(m => (string?)m["header"]!["msg_type"]));
        Assert.Equal("busy", (string?)iopub[0]["content"]!["execution_state"]);
        // Formatted as the course's notebooks format numbers (HTML first, the stock tool's default).
        var data = iopub[2]["content"]!["data"]!.AsObject();
        Assert.Contains(data, pair => pair.Key.StartsWith("text/") && ((string?)pair.Value)!.Contains('2'));
        Assert.Equal(1, (int?)iopub[2]["content"]!["execution_count"]);

        string failing = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "throw new InvalidOperationException(\"boom\");" });
        var error = client.Receive(client.Shell, Reply)!;
        Assert.Equal("error", (string?)error["content"]!["status"]);
        Assert.Contains("boom", (string?)error["content"]!["evalue"]);
        Assert.Contains(client.IopubUntilIdle(failing, Reply), m => (string?)m["header"]!["msg_type"] == "error");
    }

    [Fact]
    public void A_message_with_a_tampered_signature_is_dropped_and_logged_and_the_kernel_still_answers()
    {
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);

        client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "System.IO.File.WriteAllText(\"/tmp/never\", \"x\")" }, tamper: true);
        Assert.Null(client.Receive(client.Shell, TimeSpan.FromSeconds(5)));
        Assert.Contains("bad signature", client.KernelStderr);

        client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "6*7" });
        var reply = client.Receive(client.Shell, Reply) ?? throw new TimeoutException("no reply after the tampered message\n" + client.KernelStderr);
        Assert.Equal("ok", (string?)reply["content"]!["status"]);
        Assert.Equal(1, (int?)reply["content"]!["execution_count"]); // the dropped one never ran
    }

    [Fact]
    public void The_heartbeat_echoes()
    {
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);
        byte[] ping = Encoding.ASCII.GetBytes("ping " + Guid.NewGuid());
        Assert.True(client.Heartbeat(ping, out var pong), "no heartbeat echo within 5 s");
        Assert.Equal(ping, pong);
    }

    /// <summary>
    /// interrupt_request (the kernelspec's interrupt_mode is "message") sends .NET Interactive's Cancel:
    /// the interrupted cell's execute_reply comes back as an error, and the kernel keeps answering
    /// control and heartbeat, so a front end can restart it. What it cannot do is free the sleeping
    /// thread (.NET cannot abort a thread); when that thread is the one the C# kernel runs cells on,
    /// the next cell waits behind it, which the README states. A restart (shutdown_request, as the
    /// front ends send it) still ends the process.
    /// </summary>
    [Fact]
    public void An_interrupt_answers_a_cell_that_sleeps_forever_and_a_restart_still_ends_the_process()
    {
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);

        string id = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "Console.WriteLine(\"sleeping\"); System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);" });
        client.IopubUntil(id, m => (string?)m["header"]!["msg_type"] == "stream", Reply);
        Assert.Null(client.Receive(client.Shell, TimeSpan.FromSeconds(1))); // still sleeping
        client.Send(client.Control, "interrupt_request", []);
        var interrupted = client.Receive(client.Control, Reply) ?? throw new TimeoutException("no interrupt_reply\n" + client.KernelStderr);
        Assert.Equal("interrupt_reply", (string?)interrupted["header"]!["msg_type"]);

        var cell = client.Receive(client.Shell, TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("the interrupted cell got no execute_reply\n" + client.KernelStderr);
        Assert.Equal("execute_reply", (string?)cell["header"]!["msg_type"]);
        Assert.Equal("error", (string?)cell["content"]!["status"]);

        client.Send(client.Control, "kernel_info_request", []);
        Assert.NotNull(client.Receive(client.Control, Reply));
        Assert.True(client.Heartbeat([1, 2, 3], out var pong) && pong!.SequenceEqual(new byte[] { 1, 2, 3 }), "no heartbeat after the interrupt");

        client.Send(client.Control, "shutdown_request", new JsonObject { ["restart"] = true });
        Assert.NotNull(client.Receive(client.Control, Reply));
        Assert.True(client.Kernel.WaitForExit(TimeSpan.FromSeconds(15)), "the kernel still runs 15 s after shutdown_reply, with the interrupted cell's thread asleep");
    }

    [Fact]
    public void A_shutdown_request_on_control_ends_the_process()
    {
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);
        client.Send(client.Control, "shutdown_request", new JsonObject { ["restart"] = false });
        var reply = client.Receive(client.Control, Reply) ?? throw new TimeoutException("no shutdown_reply\n" + client.KernelStderr);
        Assert.Equal("shutdown_reply", (string?)reply["header"]!["msg_type"]);
        Assert.True(client.Kernel.WaitForExit(TimeSpan.FromSeconds(15)), "the kernel still runs 15 s after shutdown_reply");
        Assert.Equal(0, client.Kernel.ExitCode);
    }

    [Fact]
    public void A_connection_file_without_a_key_is_refused_naming_the_file_and_the_field()
    {
        using var scratch = Course.Scratch();
        string path = Path.Combine(scratch.Path, "no-key.json");
        File.WriteAllText(path, """{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}""");
        var result = Course.Run("dotnet", [Course.KernelDll, "jupyter", path], scratch.Path, TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"connection file {path}: field \"key\" is missing", result.StdErr);
    }
}

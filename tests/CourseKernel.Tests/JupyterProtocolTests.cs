using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace CourseKernel.Tests;

/// <summary>The kernel's Jupyter mode spoken to directly, message by message, as the messaging spec (5.3) describes it.</summary>
[Trait("Category", TestCategory.Processes)]
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

        // silent: no execute_input, no execute_result, and the execution count stays.
        string quiet = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "2+2", ["silent"] = true });
        Assert.Equal(1, (int?)client.Receive(client.Shell, Reply)!["content"]!["execution_count"]);
        Assert.Equal(["status", "status"], client.IopubUntilIdle(quiet, Reply).Select(m => (string?)m["header"]!["msg_type"]));

        string failing = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "throw new InvalidOperationException(\"boom\");" });
        var error = client.Receive(client.Shell, Reply)!;
        Assert.Equal("error", (string?)error["content"]!["status"]);
        Assert.Contains("boom", (string?)error["content"]!["evalue"]);
        Assert.Contains(client.IopubUntilIdle(failing, Reply), m => (string?)m["header"]!["msg_type"] == "error");
    }

    /// <summary>ipykernel's stop_on_error: the execute requests waiting behind a failed cell are aborted, unless the failed one said "stop_on_error": false.</summary>
    [Fact]
    public void A_failed_cell_aborts_the_waiting_cells_unless_it_asked_not_to()
    {
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);
        foreach (var (stopOnError, silent) in new[] { (true, false), (false, false), (true, true) })
        {
            string failing = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "System.Threading.Thread.Sleep(500); throw new Exception(\"boom\");", ["stop_on_error"] = stopOnError, ["silent"] = silent });
            string waiting = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "7" });
            Assert.Equal("error", (string?)ReplyTo(client, failing)["content"]!["status"]);
            bool aborts = stopOnError && !silent;
            Assert.Equal(aborts ? "aborted" : "ok", (string?)ReplyTo(client, waiting)["content"]!["status"]);
            // The failed cell's idle comes before anything of the next request, aborted or not.
            client.IopubUntilIdle(failing, Reply);
            var next = client.IopubUntilIdle(waiting, Reply);
            Assert.Equal("busy", (string?)next[0]["content"]!["execution_state"]);
        }
        Assert.Equal(8, Evaluate(client, "8"));
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

    private const string SleepForever = "Console.WriteLine(\"sleeping\"); System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);";

    /// <summary>
    /// interrupt_request (the kernelspec's interrupt_mode is "message") ends a cell blocked for good on
    /// the kernel's own thread: the cell's execute_reply is an error, the cell queued behind it (the rest
    /// of a "Run All") is aborted as ipykernel aborts it, and the next cell runs. Twice, so an interrupt
    /// that freed the thread once leaves nothing behind that would break the next.
    /// </summary>
    [Fact]
    public void An_interrupt_ends_a_cell_that_sleeps_forever_aborts_the_queued_cell_and_the_next_cell_runs()
    {
        using var scratch = Course.Scratch();
        string witness = Path.Combine(scratch.Path, "the-aborted-cell-ran");
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);

        for (int round = 1; round <= 2; round++)
        {
            string sleeping = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = SleepForever });
            string queued = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = $"System.IO.File.WriteAllText(\"{witness}\", \"x\")" });
            client.IopubUntil(sleeping, m => (string?)m["header"]!["msg_type"] == "stream", Reply);
            Assert.Null(client.Receive(client.Shell, TimeSpan.FromSeconds(1))); // still sleeping

            Interrupt(client);
            var cell = ReplyTo(client, sleeping);
            Assert.Equal("error", (string?)cell["content"]!["status"]);
            var aborted = ReplyTo(client, queued);
            Assert.Equal("aborted", (string?)aborted["content"]!["status"]);

            Assert.Equal(42, Evaluate(client, "6*7"));
        }
        Assert.False(File.Exists(witness), "the aborted cell ran");
        Assert.True(client.Heartbeat([1, 2, 3], out var pong) && pong!.SequenceEqual(new byte[] { 1, 2, 3 }), "no heartbeat after the interrupts");
    }

    /// <summary>
    /// An interrupt must not stay pending on the kernel's thread, to fire in a later cell or in the
    /// kernel's own wait for work: not when no cell runs, and not when it lands on a cell that spins
    /// without ever blocking (the interrupt cannot wake it; the cell ends on its own). After each, cells
    /// that block for a moment (Sleep, Join, Wait) complete normally.
    /// </summary>
    [Fact]
    public void An_interrupt_that_wakes_nothing_does_not_touch_the_next_cells()
    {
        const string Blocking = "System.Threading.Thread.Sleep(300); var t = new System.Threading.Thread(() => System.Threading.Thread.Sleep(100)); t.Start(); t.Join(); System.Threading.Tasks.Task.Delay(100).Wait(); ";
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);
        Interrupt(client);
        Assert.Equal(3, Evaluate(client, Blocking + "3"));

        string spinning = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "Console.WriteLine(\"spinning\"); var spin = System.Diagnostics.Stopwatch.StartNew(); while (spin.ElapsedMilliseconds < 5000) { }" });
        client.IopubUntil(spinning, m => (string?)m["header"]!["msg_type"] == "stream", Reply);
        Interrupt(client);
        Assert.Equal("error", (string?)ReplyTo(client, spinning)["content"]!["status"]);
        Assert.Equal(4, Evaluate(client, Blocking + "4"));
        Assert.Equal(5, Evaluate(client, Blocking + "5"));
    }

    /// <summary>
    /// A cell that blocks after its first await holds a pool thread, not the kernel's: the interrupt
    /// cancels it and the next cell runs (the blocked pool thread stays asleep; .NET cannot end it).
    /// An interrupt sent the moment the cell is sent, while it is still compiling, ends it too.
    /// </summary>
    [Fact]
    public void An_interrupt_ends_a_cell_blocked_after_an_await_and_one_sent_while_the_cell_compiles()
    {
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);

        string awaiting = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "await System.Threading.Tasks.Task.Yield(); " + SleepForever });
        client.IopubUntil(awaiting, m => (string?)m["header"]!["msg_type"] == "stream", Reply);
        Interrupt(client);
        Assert.Equal("error", (string?)ReplyTo(client, awaiting)["content"]!["status"]);
        Assert.Equal(5, Evaluate(client, "5"));

        string compiling = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "var unique" + Guid.NewGuid().ToString("N") + " = 1; " + SleepForever });
        client.IopubUntil(compiling, m => (string?)m["header"]!["msg_type"] == "execute_input", Reply);
        Interrupt(client);
        Assert.Equal("error", (string?)ReplyTo(client, compiling)["content"]!["status"]);
        Assert.Equal(6, Evaluate(client, "6"));
    }

    /// <summary>
    /// One interrupt wakes the cell once: a cell that catches it and then blocks again to clean up (joins
    /// a thread, waits for a server to stop) finishes its clean-up. A second interrupt wakes it again.
    /// (The cell's console output ends with its command, cancelled at the first interrupt, so the cell
    /// keeps its log where the next cell can read it.)
    /// </summary>
    [Fact]
    public void One_interrupt_wakes_a_cell_once_and_a_second_one_again()
    {
        using var scratch = Course.Scratch();
        string cleanedUp = Path.Combine(scratch.Path, "cleaned-up");
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);
        string cell = client.Send(client.Shell, "execute_request", new JsonObject
        {
            ["code"] = $$"""
                static void Log(string step) => AppDomain.CurrentDomain.SetData("log", AppDomain.CurrentDomain.GetData("log") + step + ";");
                Console.WriteLine("sleeping");
                try { System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); }
                catch (System.Threading.ThreadInterruptedException) { Log("woken"); }
                System.Threading.Thread.Sleep(1500);
                Log("cleaned up");
                System.IO.File.WriteAllText("{{cleanedUp}}", "");
                try { System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); }
                catch (System.Threading.ThreadInterruptedException) { Log("woken again"); }
                """,
        });
        client.IopubUntil(cell, m => (string?)m["header"]!["msg_type"] == "stream", Reply);
        Interrupt(client);
        Assert.Equal("error", (string?)ReplyTo(client, cell)["content"]!["status"]);
        // The cell holds the kernel's thread, so no cell can ask how far it got: it leaves a file instead. An
        // interrupt that comes before it blocks again is kept for its next wait.
        Assert.True(SpinWait.SpinUntil(() => File.Exists(cleanedUp), TimeSpan.FromSeconds(60)), "the cell never finished its clean-up\n" + client.KernelStderr);
        Interrupt(client);
        Assert.Equal("woken;cleaned up;woken again;", Text(client, "(string)AppDomain.CurrentDomain.GetData(\"log\")"));
    }

    /// <summary>A restart (shutdown_request, as the front ends send it) ends the process even with a cell's pool thread asleep for good.</summary>
    [Fact]
    public void A_restart_ends_the_process_while_a_cell_sleeps()
    {
        using var client = new JupyterClient();
        client.WaitUntilReady(Start);
        string sleeping = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "await System.Threading.Tasks.Task.Yield(); " + SleepForever });
        client.IopubUntil(sleeping, m => (string?)m["header"]!["msg_type"] == "stream", Reply);
        client.Send(client.Control, "shutdown_request", new JsonObject { ["restart"] = true });
        Assert.NotNull(client.Receive(client.Control, Reply));
        Assert.True(client.Kernel.WaitForExit(TimeSpan.FromSeconds(15)), "the kernel still runs 15 s after shutdown_reply, with a cell asleep");
    }

    private static void Interrupt(JupyterClient client)
    {
        client.Send(client.Control, "interrupt_request", []);
        var reply = client.Receive(client.Control, Reply) ?? throw new TimeoutException("no interrupt_reply\n" + client.KernelStderr);
        Assert.Equal("interrupt_reply", (string?)reply["header"]!["msg_type"]);
    }

    private static JsonObject ReplyTo(JupyterClient client, string requestId)
    {
        var reply = client.Receive(client.Shell, TimeSpan.FromSeconds(30)) ?? throw new TimeoutException($"no execute_reply to {requestId} within 30 s\n{client.KernelStderr}");
        Assert.Equal(requestId, (string?)reply["parent_header"]!["msg_id"]);
        return reply;
    }

    /// <summary>Runs <paramref name="code"/> and returns the data of its execute_result.</summary>
    private static JsonObject Result(JupyterClient client, string code)
    {
        string id = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = code });
        var reply = ReplyTo(client, id);
        Assert.True((string?)reply["content"]!["status"] == "ok", $"{code}: {reply["content"]}\n{client.KernelStderr}");
        var result = client.IopubUntil(id, m => (string?)m["header"]!["msg_type"] == "execute_result", Reply)[^1];
        return result["content"]!["data"]!.AsObject();
    }

    /// <summary>A string's value: strings are formatted as text/plain.</summary>
    private static string? Text(JupyterClient client, string code) => (string?)Result(client, code)["text/plain"];

    /// <summary>A number's value, read from the execute_result.</summary>
    private static int Evaluate(JupyterClient client, string code)
    {
        var data = Result(client, code);
        // A number is formatted as HTML (the stock tool's default): <div class="dni-plaintext"><pre>42</pre></div> and a style sheet.
        var number = System.Text.RegularExpressions.Regex.Match((string?)data["text/plain"] ?? (string?)data["text/html"] ?? "", @"^\s*(\d+)\s*$|<pre>(\d+)</pre>");
        Assert.True(number.Success, $"{code}: no number in {data}");
        return int.Parse(number.Groups[1].Success ? number.Groups[1].Value : number.Groups[2].Value);
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

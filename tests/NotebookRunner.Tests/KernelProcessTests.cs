namespace NotebookRunner.Tests;

/// <summary>
/// Each notebook runs in a course kernel process of its own, started as VS Code starts it: what one
/// notebook leaves behind (statics, environment, sockets, threads, child processes) ends with its
/// process and never reaches the next notebook or outlives the run.
/// </summary>
[Trait("Category", TestCategory.Processes)]
public class KernelProcessTests
{
    [Fact]
    public void Each_notebook_gets_a_kernel_process_started_as_VS_Code_starts_it_and_none_outlives_the_run()
    {
        using var scratch = CourseLayout.Scratch();
        // Each notebook names its kernel process, its command line, and a child process it leaves running.
        string Reporter(string name) =>
            "var child = System.Diagnostics.Process.Start(\"sleep\", \"600\");\n" +
            $"System.IO.File.WriteAllLines(\"{name}\", [$\"{{Environment.ProcessId}}\", $\"{{child.Id}}\", .. Environment.GetCommandLineArgs()]);";
        var first = TestNotebooks.Write(scratch.File("1-first.ipynb"), Reporter("kernel-1"));
        var second = TestNotebooks.Write(scratch.File("2-second.ipynb"), Reporter("kernel-2"));

        var run = Processes.RunRunner("--check", first, second);

        var reports = new[] { "kernel-1", "kernel-2" }.Select(f => File.ReadAllLines(scratch.File(f))).ToList();
        var pids = reports.SelectMany(r => new[] { int.Parse(r[0]), int.Parse(r[1]) }).ToList();
        try
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("2 passed, 0 failed", run.StdErr);
            Assert.NotEqual(reports[0][0], reports[1][0]); // a process per notebook
            foreach (var report in reports)
            {
                // .vscode/settings.json: {dotnet_path} <kernel dll> [vscode] stdio --working-dir {working_dir};
                // the connector adds --kernel-host.
                var args = report[2..];
                Assert.Equal(Path.GetFullPath(CourseLayout.KernelDll), Path.GetFullPath(args[0]));
                Assert.Equal(["[vscode]", "stdio", "--working-dir", scratch.Path], args[1..5]);
            }
            Assert.All(pids, pid => Assert.False(ProcessTable.IsRunning(pid), $"process {pid} outlived the run"));
            // A killed .NET process leaves its debugger pipes and diagnostics socket behind (clr-debug-pipe-<pid>-…,
            // dotnet-diagnostic-<pid>-…); the kernels are killed, so they must not have made any.
            var left = reports.SelectMany(r => Directory.EnumerateFileSystemEntries(Path.GetTempPath(), $"*-{r[0]}-*")).Select(Path.GetFileName).ToList();
            Assert.True(left.Count == 0, "the kernels left in the temporary folder: " + string.Join(", ", left));
            Assert.Empty(ProcessTable.Matching("CourseKernel", scratch.Path));
        }
        finally
        {
            pids.ForEach(ProcessTable.KillIfRunning);
        }
    }

    [Fact]
    public void What_a_notebook_leaves_in_its_kernel_is_not_there_for_the_next_notebook()
    {
        using var scratch = CourseLayout.Scratch();
        var leaves = TestNotebooks.Write(scratch.File("1-leaves.ipynb"),
            TestNotebooks.SetupCell,
            "using static NetIpc.Sockets.Sys;\n" +
            "trace = true;\n" +
            "var listener = socket(AF_INET, SOCK_STREAM);\n" +
            "bind(listener, \"127.0.0.1\", 0);\n" +
            "listen(listener, 5);\n" +
            "System.IO.File.WriteAllText(\"port\", local_port(listener).ToString());\n" +
            "Environment.SetEnvironmentVariable(\"LEFT_BY_NOTEBOOK_1\", \"yes\");\n" +
            "Environment.CurrentDirectory = \"/\";");
        var finds = TestNotebooks.Write(scratch.File("2-finds.ipynb"),
            TestNotebooks.SetupCell,
            "var left = new List<string>();\n" +
            $"if (Environment.CurrentDirectory != \"{scratch.Path}\") left.Add($\"the working directory is {{Environment.CurrentDirectory}}\");\n" +
            $"var port = int.Parse(System.IO.File.ReadAllText(\"{scratch.File("port")}\"));\n" +
            "try { var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port); probe.Start(); probe.Stop(); }\n" +
            "catch (System.Net.Sockets.SocketException e) { left.Add($\"port {port} is still taken ({e.SocketErrorCode})\"); }\n" +
            "if (NetIpc.Sockets.Sys.trace) left.Add(\"Sys.trace is still on\");\n" +
            "if (NetIpc.Sockets.Sys.CloseAll() is var open and > 0) left.Add($\"{open} socket(s) still in Sys's table\");\n" +
            "if (Environment.GetEnvironmentVariable(\"LEFT_BY_NOTEBOOK_1\") is not null) left.Add(\"notebook 1's environment variable\");\n" +
            "if (left.Count > 0) throw new InvalidOperationException(\"left by the notebook before: \" + string.Join(\"; \", left));");

        var run = Processes.RunRunner("--check", leaves, finds);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("2 passed, 0 failed", run.StdErr);
    }

    [Fact]
    public void A_stopped_cell_ends_its_kernel_process_with_its_children_and_frees_its_port()
    {
        using var scratch = CourseLayout.Scratch();
        var hangs = TestNotebooks.Write(scratch.File("1-hangs.ipynb"),
            "var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);\n" +
            "listener.Start();\n" +
            "var child = System.Diagnostics.Process.Start(\"sleep\", \"600\");\n" +
            "System.IO.File.WriteAllLines(\"hung\", [$\"{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}\", $\"{Environment.ProcessId}\", $\"{child.Id}\"]);",
            "while (true) { }");
        var after = TestNotebooks.Write(scratch.File("2-after.ipynb"),
            $"var port = int.Parse(System.IO.File.ReadAllLines(\"{scratch.File("hung")}\")[0]);\n" +
            "var again = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);\n" +
            "again.Start(); // throws AddressAlreadyInUse while the hung cell's listener lives\n" +
            "again.Stop();");

        // Generous enough for the first cell's kernel start on a busy machine.
        var run = Processes.RunRunner("--check", "--cell-timeout", "20", hangs, after);

        var hung = File.ReadAllLines(scratch.File("hung"));
        int kernel = int.Parse(hung[1]), child = int.Parse(hung[2]);
        try
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("1-hangs.ipynb, cell 3:", run.StdErr);
            Assert.Contains("FAIL [1/2] 1-hangs.ipynb: failed at cell 3", run.StdErr);
            Assert.Contains("Stopped: the cell ran past the cell time limit (20 s)", run.StdErr);
            Assert.Contains("1 passed, 1 failed", run.StdErr); // the second notebook bound the port again
            Assert.False(ProcessTable.IsRunning(kernel), $"the hung kernel {kernel} is still running");
            Assert.False(ProcessTable.IsRunning(child), $"the hung cell's child {child} is still running");
            Assert.Empty(ProcessTable.Matching("CourseKernel", scratch.Path));
        }
        finally
        {
            ProcessTable.KillIfRunning(child);
        }
    }

    [Fact]
    public void A_cell_that_ends_its_kernel_process_fails_its_notebook_and_the_run_goes_on()
    {
        using var scratch = CourseLayout.Scratch();
        var exits = TestNotebooks.Write(scratch.File("1-exits.ipynb"), "var before = 1;", "// the cell that exits\nEnvironment.Exit(7);");
        var fine = TestNotebooks.Write(scratch.File("2-fine.ipynb"), "40 + 2");

        var run = Processes.RunRunner("--check", exits, fine);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("1 passed, 1 failed", run.StdErr);
        Assert.Contains("1-exits.ipynb, cell 3:", run.StdErr);
        // Progress goes on after the kernel died mid-command (Console.Error is not to be trusted then).
        Assert.Contains("FAIL [1/2] 1-exits.ipynb: failed at cell 3", run.StdErr);
        Assert.Contains("ok   [2/2] 2-fine.ipynb", run.StdErr);
        Assert.Contains("| // the cell that exits", run.StdErr);
        Assert.Contains("The kernel process ended while the cell ran.", run.StdErr);
    }
}

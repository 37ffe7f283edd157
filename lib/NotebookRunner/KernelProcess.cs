using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Connection;

namespace NotebookRunner;

/// <summary>
/// One course kernel in a process of its own, started the way VS Code starts it
/// (.vscode/settings.json: <c>dotnet CourseKernel.dll [vscode] stdio --working-dir &lt;notebook folder&gt;</c>,
/// in that folder) and spoken to over stdio with <see cref="StdIoKernelConnector"/>. Whatever a
/// notebook leaves behind — statics, threads, sockets, child processes — ends with the process.
/// </summary>
internal sealed class KernelProcess : IDisposable
{
    private readonly StdIoKernelConnector _connector;
    private readonly Dictionary<string, ProxyKernel> _kernels = [];
    private readonly Process _process;

    private KernelProcess(StdIoKernelConnector connector, ProxyKernel first, Process process)
    {
        _connector = connector;
        _kernels[first.Name] = first;
        _process = process;
        Exited = process.WaitForExitAsync();
    }

    /// <summary>
    /// The kernel process's subkernel of that name (csharp for every cell of the course), as a proxy the
    /// cell's code is sent to; the process's root only routes and takes no code itself.
    /// </summary>
    public async Task<Kernel> SubkernelAsync(string name)
    {
        if (_kernels.TryGetValue(name, out var kernel)) return kernel;
        try
        {
            return _kernels[name] = await _connector.CreateProxyKernelAsync(name);
        }
        catch (InvalidOperationException e)
        {
            throw new KernelUnavailableException($"The course kernel has no kernel named '{name}': {e.Message}", e);
        }
    }

    public int ProcessId => _process.Id;

    /// <summary>
    /// Completes when the kernel process ends, for whatever reason. Its exit code stays with the
    /// connector, which started and reaped it.
    /// </summary>
    public Task Exited { get; }

    /// <summary>The built course kernel next to this runner's own build: artifacts/bin/CourseKernel/&lt;configuration&gt;/.</summary>
    public static string KernelDll { get; } = FindKernelDll();

    private static string FindKernelDll()
    {
        var runnerFolder = new DirectoryInfo(AppContext.BaseDirectory);
        return Path.Combine(runnerFolder.Parent!.Parent!.FullName, "CourseKernel", runnerFolder.Name, "CourseKernel.dll");
    }

    /// <summary>
    /// Starts a kernel for the notebooks in <paramref name="notebookFolder"/> and waits until it is ready,
    /// at most <paramref name="limit"/>; a kernel that is not ready by then is ended.
    /// </summary>
    public static async Task<KernelProcess> StartAsync(string notebookFolder, string firstKernelName, TimeSpan limit)
    {
        if (!File.Exists(KernelDll))
            throw new KernelUnavailableException($"The course kernel is not built ({KernelDll}); run: dotnet build Course.sln");

        string[] command = ["dotnet", Quoted(KernelDll), "[vscode]", "stdio", "--working-dir", Quoted(notebookFolder)];
        // Every .NET process opens a debugger pipe pair and a diagnostics socket in the temporary folder and removes
        // them when it exits, but not when it is killed, and the runner kills each kernel with everything it started.
        // Without diagnostics (no debugger or dotnet-trace can attach to a headless run anyway) there is nothing to
        // leave behind: 45 files in /tmp per run of the course before. The connector passes the runner's environment on.
        Environment.SetEnvironmentVariable("DOTNET_EnableDiagnostics", "0");
        var connector = new StdIoKernelConnector(command, "course",
            new Uri($"kernel://notebook-runner-{Environment.ProcessId}"), new DirectoryInfo(notebookFolder));
        var start = ConnectAsync(connector, firstKernelName);
        try
        {
            if (await Task.WhenAny(start, Task.Delay(limit > TimeSpan.Zero ? limit : TimeSpan.Zero)) != start)
            {
                KillTree(connector.ProcessId);
                throw new KernelUnavailableException($"The course kernel was not ready within {limit.TotalSeconds:0} s; its process was ended.");
            }
            var kernel = await start;
            return new KernelProcess(connector, kernel, Process.GetProcessById(connector.ProcessId!.Value));
        }
        catch (Exception e) when (e is not KernelUnavailableException)
        {
            KillTree(connector.ProcessId);
            connector.Dispose();
            throw new KernelUnavailableException($"The course kernel did not start: {e.Message}", e);
        }
        catch
        {
            connector.Dispose();
            throw;
        }
    }

    /// <summary>The connector's proxy for <paramref name="kernelName"/>, past a race the connector has (below); the tests that speak to a kernel directly use it too.</summary>
    internal static async Task<ProxyKernel> ConnectAsync(StdIoKernelConnector connector, string kernelName)
    {
        try
        {
            return await connector.CreateProxyKernelAsync(kernelName);
        }
        catch (InvalidOperationException) when (connector.ProcessId is not null)
        {
            // The connector stops waiting when it sees KernelReady and looks up the kernels that event
            // lists, which its reader thread may not have stored yet ("Sequence contains no matching
            // element", seen on a loaded machine). They are stored a moment later; a second call
            // reuses the process already started.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            return await connector.CreateProxyKernelAsync(kernelName);
        }
    }

    /// <summary>
    /// Ends the kernel and everything it started (experiment hosts, a cell's own child processes), at
    /// once: a cell that ignores cancellation is not asked. Returns when the kernel process is gone, so
    /// the sockets it held are closed before the next notebook starts.
    /// </summary>
    public void Kill()
    {
        KillTree(_process.Id);
        _process.WaitForExit();
    }

    /// <summary>
    /// The kernel is killed before the connector is disposed: the connector first sends Quit, and a
    /// kernel that exits on it before the connector's kill looks for its children would leave them
    /// running, adopted by init.
    /// </summary>
    public void Dispose()
    {
        Kill();
        foreach (var kernel in _kernels.Values) kernel.Dispose();
        _connector.Dispose();
        _process.Dispose();
    }

    private static void KillTree(int? processId)
    {
        if (processId is not { } id) return;
        try
        {
            using var process = Process.GetProcessById(id);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }
    }

    /// <summary>
    /// StdIoKernelConnector joins the command into one argument string with plain spaces, and .NET splits
    /// that string again honouring double quotes: a course folder with a space in its name needs them.
    /// </summary>
    private static string Quoted(string argument) =>
        argument.Any(char.IsWhiteSpace) ? $"\"{argument}\"" : argument;
}

/// <summary>A cell's kernel cannot be had: the process did not start, was not ready in time, or has no such subkernel.</summary>
internal sealed class KernelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

namespace NotebookRunner;

/// <summary>
/// The next notebook's kernel, started while the notebook before it runs. A kernel takes three to four seconds
/// to become ready (loading .NET Interactive and compiling its first submission), a third of a short chapter's
/// time; started once the running notebook's own kernel has run its first cell, it is ready when that notebook
/// ends. Each notebook still gets a fresh process of its own, started the same way: only the moment moves.
/// </summary>
internal sealed class KernelPrestart : IAsyncDisposable
{
    private Task<KernelProcess>? _next;
    private string? _nextPath;

    /// <summary>Starts the kernel for <paramref name="path"/> (a notebook file), unless one is already starting.</summary>
    public void Start(string path, TimeSpan limit)
    {
        if (_next is not null) return;
        _nextPath = path;
        _next = KernelProcess.StartAsync(Path.GetDirectoryName(Path.GetFullPath(path))!, NotebookFile.CSharpKernelName, limit);
    }

    /// <summary>The kernel started for <paramref name="path"/>, handed to its caller (who then owns it), or null.</summary>
    public Task<KernelProcess>? Take(string path)
    {
        if (_next is null || _nextPath != path) return null;
        var next = _next;
        _next = null;
        _nextPath = null;
        return next;
    }

    /// <summary>Ends a kernel started for a notebook that was not run (the run stopped first), once it has started.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_next is { } next)
        {
            _next = null;
            await DisposeAsync(next);
        }
    }

    /// <summary>Ends a started kernel nobody will use; one that failed to start has nothing left to end.</summary>
    public static async Task DisposeAsync(Task<KernelProcess> starting)
    {
        try
        {
            (await starting).Dispose();
        }
        catch (KernelUnavailableException)
        {
            // StartAsync ended the process itself.
        }
    }
}

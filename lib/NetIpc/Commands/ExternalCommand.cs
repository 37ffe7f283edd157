using System.ComponentModel;
using System.Diagnostics;

namespace NetIpc.Commands;

/// <summary>What an external command printed and how it ended.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The output, or an exception naming the command, its exit code and what it said on stderr.</summary>
    public string EnsureSuccess() => ExitCode == 0
        ? StandardOutput
        : throw new InvalidOperationException($"{Command} exited with {ExitCode}: {StandardError.Trim()}");
}

/// <summary>
/// Runs a program (ip, unshare, a child experiment) with a time limit: both streams are read while it
/// runs, so a chatty child never blocks on a full pipe, and a child that outlives its limit is killed
/// with everything it started.
/// </summary>
public static class ExternalCommand
{
    /// <param name="input">Written to the child's stdin, which is then closed; null leaves stdin empty.</param>
    /// <param name="environment">Variables added to (or replacing those in) this process's environment.</param>
    public static CommandResult Run(string file, IEnumerable<string> arguments, TimeSpan limit, string? input = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        string command = string.Join(' ', start.ArgumentList.Prepend(file));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        }
        catch (Win32Exception e)
        {
            throw new FileNotFoundException($"cannot run {file}: {e.Message}", file, e);
        }
        using (process)
        {
            // Read on threads of their own, not ReadToEndAsync: the asynchronous reads run on the socket event loop
            // and the thread pool, and a command run from inside an experiment's namespace (ip, most often) would
            // start those threads there for good (see NamespaceThreads).
            var stdout = new StreamDrain(process.StandardOutput, "stdout");
            var stderr = new StreamDrain(process.StandardError, "stderr");
            if (input is not null)
            {
                process.StandardInput.Write(input);
            }
            process.StandardInput.Close();
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"{command} did not finish within {limit.TotalSeconds:0.#} s and was killed; it said: {Tail(stderr)}");
            }
            process.WaitForExit();
            return new CommandResult(command, process.ExitCode, stdout.Text(), stderr.Text());
        }
    }

    public static CommandResult Run(string file, params string[] arguments) => Run(file, arguments, TimeSpan.FromSeconds(10));

    private static string Tail(StreamDrain stderr) => stderr.Text(TimeSpan.FromSeconds(1)).Trim() is { Length: > 0 } s ? s : "(nothing)";

    /// <summary>Reads a child's stream to its end on a thread of its own.</summary>
    private sealed class StreamDrain
    {
        private readonly Thread thread;
        private string text = "";
        private Exception? failure;

        public StreamDrain(StreamReader reader, string name)
        {
            thread = new Thread(() =>
            {
                try
                {
                    text = reader.ReadToEnd();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    failure = e;
                }
            }) { IsBackground = true, Name = $"command {name}" };
            thread.Start();
        }

        /// <summary>Everything read once the child closed the stream (its exit does, unless it left a grandchild holding it).</summary>
        public string Text()
        {
            string read = Text(TimeSpan.FromSeconds(10));
            return failure is null ? read : throw new IOException($"reading the command's output failed: {failure.Message}", failure);
        }

        public string Text(TimeSpan wait) => thread.Join(wait) ? text : "";
    }
}

namespace NotebookRunner.Tests;

/// <summary>What /proc says about other processes: the tests look at kernels the runner started and ended.</summary>
internal static class ProcessTable
{
    /// <summary>
    /// True while the process exists and is not a zombie: a killed grandchild adopted by an init that
    /// does not reap stays in /proc as "Z", but it holds nothing any more.
    /// </summary>
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false; // FileNotFoundException and DirectoryNotFoundException are both IOExceptions
        }
        // "pid (comm) S …": the command may itself contain ") ", so the state follows the last one.
        return stat[(stat.LastIndexOf(") ", StringComparison.Ordinal) + 2)] != 'Z';
    }

    /// <summary>Live processes whose command line contains every one of <paramref name="parts"/>, with that command line.</summary>
    public static List<(int Pid, string CommandLine)> Matching(params string[] parts)
    {
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // ended while the folder was listed, or not ours to read
            }
            if (parts.All(p => commandLine.Contains(p, StringComparison.Ordinal)) && IsRunning(pid))
                found.Add((pid, commandLine));
        }
        return found;
    }

    /// <summary>Ends a process a failed test left behind; only ever one the test's own notebook started.</summary>
    public static void KillIfRunning(int pid)
    {
        if (!IsRunning(pid)) return;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Ended meanwhile.
        }
    }
}

using System.Globalization;

namespace NetIpc.Proc;

/// <summary>
/// The "Name:   value kB" files: /proc/&lt;pid&gt;/status (VmRSS, Threads …) and /proc/meminfo (KernelStack …).
/// Values are as printed: kB for sizes, a count for Threads.
/// </summary>
public static class ProcessStatus
{
    /// <summary>The value of one field, e.g. <c>Field(text, "VmRSS")</c> → 51234 (kB).</summary>
    public static long Field(string text, string name, string file = "/proc/self/status")
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':');
            if (colon <= 0 || !lines[i].AsSpan(0, colon).SequenceEqual(name))
            {
                continue;
            }
            var words = lines[i][(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                throw new ProcFormatException(file, i + 1, name, $"expected a whole number, got '{lines[i]}'");
            }
            return value;
        }
        throw new ProcFormatException(file, lines.Length, name, $"no line '{name}:'");
    }

    /// <summary>This process's resident set (VmRSS, kB): the pages of its memory that are in RAM now, user space only.</summary>
    public static long ResidentKilobytes() => Field(File.ReadAllText("/proc/self/status"), "VmRSS");

    /// <summary>The kernel stacks of every thread on the machine (KernelStack in /proc/meminfo, kB).</summary>
    public static long KernelStackKilobytes() => Field(File.ReadAllText("/proc/meminfo"), "KernelStack", "/proc/meminfo");
}

/// <summary>One row of /proc/&lt;pid&gt;/limits: a resource's soft and hard limit (null: unlimited).</summary>
public sealed record ProcessLimit(string Name, long? Soft, long? Hard, string Units);

/// <summary>/proc/&lt;pid&gt;/limits: the process's rlimits, as getrlimit(2) gives them.</summary>
public static class ProcessLimits
{
    /// <summary>The name of RLIMIT_NOFILE's row: the highest descriptor number plus one a process may open.</summary>
    public const string OpenFiles = "Max open files";

    /// <summary>RLIMIT_NPROC's row: the threads and processes the user may have.</summary>
    public const string Processes = "Max processes";

    public static IReadOnlyList<ProcessLimit> Parse(string text, string file = "/proc/self/limits")
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        if (lines.Length == 0 || !lines[0].StartsWith("Limit", StringComparison.Ordinal))
        {
            throw new ProcFormatException(file, 1, "header", $"expected 'Limit  Soft Limit  Hard Limit  Units', got '{lines.FirstOrDefault()}'");
        }
        // The columns are fixed-width: the name is padded to 26 characters, soft and hard to 21 each.
        int soft = lines[0].IndexOf("Soft Limit", StringComparison.Ordinal);
        int hard = lines[0].IndexOf("Hard Limit", StringComparison.Ordinal);
        int units = lines[0].IndexOf("Units", StringComparison.Ordinal);
        if (soft < 0 || hard < soft || units < hard)
        {
            throw new ProcFormatException(file, 1, "header", $"expected 'Limit  Soft Limit  Hard Limit  Units', got '{lines[0]}'");
        }
        var result = new List<ProcessLimit>();
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Trim().Length == 0)
            {
                continue;
            }
            if (line.Length < hard)
            {
                throw new ProcFormatException(file, i + 1, "limit", $"too short a line: '{line}'");
            }
            result.Add(new ProcessLimit(line[..soft].Trim(),
                Value(line[soft..hard], file, i + 1, "soft"),
                Value(line[hard..Math.Min(units, line.Length)], file, i + 1, "hard"),
                line.Length > units ? line[units..].Trim() : ""));
        }
        return result;
    }

    /// <summary>One limit of this process, by its row name (<see cref="OpenFiles"/>, <see cref="Processes"/>).</summary>
    public static ProcessLimit OfSelf(string name) =>
        Parse(File.ReadAllText("/proc/self/limits")).FirstOrDefault(l => l.Name == name)
        ?? throw new ProcFormatException("/proc/self/limits", 0, name, "no such row");

    private static long? Value(string text, string file, int line, string field)
    {
        text = text.Trim();
        if (text == "unlimited")
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new ProcFormatException(file, line, field, $"expected a number or 'unlimited', got '{text}'");
    }
}

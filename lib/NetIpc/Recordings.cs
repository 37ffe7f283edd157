using NetIpc.Proc;

namespace NetIpc;

/// <summary>
/// The recorded captures under the course's data/ folder: test fixtures, and what a chapter shows,
/// labelled as recorded, where the live experiment cannot run.
/// </summary>
public static class Recordings
{
    private static readonly Lazy<string> Root = new(FindCourseRoot);

    /// <summary>The course's root, the folder holding Course.sln, found from where this library was built.</summary>
    /// <exception cref="DirectoryNotFoundException">No such folder above the library or the current directory.</exception>
    public static string CourseRoot => Root.Value;

    /// <summary>The course's data/ folder.</summary>
    public static string DataFolder => Path.Combine(CourseRoot, "data");

    /// <summary>A recorded /proc/net, e.g. <c>Recordings.Proc("seed-server")</c> for data/proc/seed-server.</summary>
    public static ProcNet Proc(string scenario)
    {
        string folder = Path.Combine(DataFolder, "proc", scenario);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"no recording named '{scenario}' in data/proc");
        }
        return ProcNet.Recorded(folder);
    }

    /// <summary>One recorded file's text, by its path under data/ (e.g. "proc/seed-server/fd").</summary>
    public static string ReadText(string relativePath) => File.ReadAllText(Path.Combine(DataFolder, relativePath));

    /// <summary>
    /// The first pipe table of a recorded Markdown file (a BenchmarkDotNet report): its header row first,
    /// then each data row, every cell as text, so a chapter can show a recorded measurement as a table.
    /// </summary>
    public static IReadOnlyList<string[]> ReadMarkdownTable(string relativePath)
    {
        var rows = ReadText(relativePath).Split('\n')
            .Where(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim().Trim('\'')).ToArray())
            .Where(cells => !cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':')))
            .ToList();
        if (rows.Count < 2)
        {
            throw new FormatException($"data/{relativePath} holds no Markdown table");
        }
        return rows;
    }

    internal static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Addresses are written the way they are printed; their properties include some that throw (ScopeId of IPv4).
        Converters = { new TextConverter<System.Net.IPAddress>(System.Net.IPAddress.Parse), new TextConverter<System.Net.IPEndPoint>(System.Net.IPEndPoint.Parse) },
    };

    private sealed class TextConverter<T>(Func<string, T> parse) : System.Text.Json.Serialization.JsonConverter<T>
    {
        public override T Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
            parse(reader.GetString() ?? throw new System.Text.Json.JsonException($"expected a {typeof(T).Name} as text"));

        public override void Write(System.Text.Json.Utf8JsonWriter writer, T value, System.Text.Json.JsonSerializerOptions options) =>
            writer.WriteStringValue(value!.ToString());
    }

    /// <summary>An experiment's result as JSON under data/, with the kernel and date it was recorded on.</summary>
    public static void Save<T>(T result, string relativePath)
    {
        string path = Path.Combine(DataFolder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string kernel = RecordingLabel.LiveKernel()
            ?? throw new InvalidOperationException($"a recording names the kernel it was made on, and {Sysctl.PathOf("kernel.osrelease")} cannot be read here");
        var recording = new Recording<T>(kernel, DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), result);
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(recording, Json) + "\n");
    }

    /// <summary>A recorded experiment result, read back from data/.</summary>
    public static Recording<T> Load<T>(string relativePath)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<Recording<T>>(ReadText(relativePath), Json)
                ?? throw new FormatException($"data/{relativePath} is empty");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"data/{relativePath}, line {e.LineNumber + 1}: {e.Message}", e);
        }
    }

    /// <summary>The one-line provenance of a recording: the kernel and the date it was captured on.</summary>
    public static string Provenance(string scenario) =>
        File.ReadLines(Path.Combine(DataFolder, "proc", scenario, "README.md")).LastOrDefault(l => l.StartsWith("Captured", StringComparison.Ordinal))
        ?? "recorded (provenance unknown)";

    private static string FindCourseRoot()
    {
        // The library runs from artifacts/bin/… inside the course in tests, notebooks and the runner alike.
        foreach (var start in new[] { Path.GetDirectoryName(typeof(Recordings).Assembly.Location), AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Course.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException("the course's root (the folder holding Course.sln) was not found above the library or the current directory");
    }
}

/// <summary>A recorded result and where it came from; <see cref="Label"/> is what a chapter shows above it.</summary>
public sealed record Recording<T>(string Kernel, string RecordedOn, T Result)
{
    /// <summary>
    /// What a chapter shows above the recording: when and on which kernel it was made, set against the kernel
    /// this machine runs. A recording stores its kernel release and date, not its machine, so the label says
    /// "this machine runs …" only when the releases differ, and never claims the machine either way.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Label => RecordingLabel.Describe(Kernel, RecordedOn, RecordingLabel.LiveKernel());
}

/// <summary>The label of a recorded result, from what a recording stores: its kernel ("Linux 6.18.…") and date.</summary>
public static class RecordingLabel
{
    /// <summary>How every such label starts; the notebook runner tells recordings from live runs by it.</summary>
    public const string Marker = RecordedMarkers.On;

    /// <summary>How a fallback to data/ where this machine has no /proc/net starts its label.</summary>
    public const string NotThisMachine = RecordedMarkers.NotThisMachine;

    /// <summary>"Linux " and this machine's kernel release (<see cref="Sysctl.KernelRelease"/>), or null where it cannot be read.</summary>
    public static string? LiveKernel() => Sysctl.KernelRelease() is string release ? $"Linux {release}" : null;

    /// <summary>The label for a recording made with <paramref name="recordedKernel"/> on <paramref name="recordedOn"/>, read where <paramref name="liveKernel"/> runs.</summary>
    public static string Describe(string recordedKernel, string recordedOn, string? liveKernel) =>
        liveKernel is null ? $"{Marker}{recordedOn} with {recordedKernel}"
        : string.Equals(liveKernel, recordedKernel, StringComparison.Ordinal)
            ? $"{Marker}{recordedOn} with {recordedKernel}, this machine's kernel release too"
            : $"{Marker}{recordedOn} with {recordedKernel}; this machine runs {liveKernel}";
}

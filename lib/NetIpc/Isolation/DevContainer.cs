using System.Text.Json;

namespace NetIpc.Isolation;

/// <summary>
/// The course's Dev Container definition (.devcontainer/devcontainer.json): its <c>runArgs</c> are the
/// <c>docker run</c> flags under which every chapter runs live in a container, so a learner in a container
/// is told those very flags, never a copy that could drift from them.
/// </summary>
public static class DevContainer
{
    /// <summary>Where the definition lives, relative to the course's root.</summary>
    public const string RelativePath = ".devcontainer/devcontainer.json";

    /// <summary>The <c>runArgs</c> of the definition under <paramref name="courseRoot"/>, in order.</summary>
    /// <exception cref="FileNotFoundException">The course has no .devcontainer/devcontainer.json.</exception>
    /// <exception cref="FormatException">The file is not JSON with comments, or has no list of strings named runArgs.</exception>
    public static IReadOnlyList<string> RunArgs(string courseRoot)
    {
        string path = Path.Combine(courseRoot, RelativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"the course's {RelativePath} is missing from {courseRoot}: it holds the docker run flags under which the chapters run live in a container", path);
        }
        // VS Code's devcontainer.json is JSON with comments and trailing commas.
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), options);
            if (!document.RootElement.TryGetProperty("runArgs", out var runArgs) || runArgs.ValueKind != JsonValueKind.Array
                || runArgs.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                throw new FormatException($"{path} has no \"runArgs\" list of strings: the docker run flags the chapters need");
            }
            return [.. runArgs.EnumerateArray().Select(a => a.GetString()!)];
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not JSON with comments: {e.Message}", e);
        }
    }

    /// <summary>The flags as one would type them after <c>docker run</c>: an argument with a space or a quote is quoted for a POSIX shell.</summary>
    public static string Flags(IReadOnlyList<string> runArgs) => string.Join(' ', runArgs.Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_=/.,:@+%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

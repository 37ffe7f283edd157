using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace NotebookRunner;

/// <summary>
/// Reads and writes .ipynb files with Microsoft.DotNet.Interactive.Documents, the same serializer
/// Polyglot Notebooks uses, so a notebook saved by VS Code round-trips without reformatting.
/// </summary>
internal static class NotebookFile
{
    /// <summary>The kernel of every code cell of the course, and of a cell that names none.</summary>
    public const string CSharpKernelName = "csharp";

    public static KernelInfoCollection KernelInfos { get; } = CreateKernelInfos();

    private static KernelInfoCollection CreateKernelInfos()
    {
        var infos = new KernelInfoCollection
        {
            new KernelInfo(CSharpKernelName, "C#", ["c#", "cs"]),
        };
        infos.DefaultKernelName = CSharpKernelName;
        return infos;
    }

    public static InteractiveDocument Read(string path)
    {
        try
        {
            return Notebook.Parse(File.ReadAllText(path), KernelInfos);
        }
        catch (Exception e) when (e is not IOException)
        {
            throw new NotebookFormatException($"{path}: not a readable notebook: {e.Message}", e);
        }
    }

    /// <summary>
    /// The document as .ipynb text, with every JSON MIME type (application/json, application/*+json) stored
    /// as a JSON value rather than a string, and base64 images as one string: nbformat allows any JSON there, and the renderers that draw a
    /// chart (VS Code's, JupyterLab's) take the value as the figure itself, so a string would not draw. The
    /// serializer only writes strings, so its output is rewritten with the same layout (one-space indent,
    /// no escaping of non-ASCII), which leaves every other byte as it wrote it.
    /// </summary>
    public static string Serialize(InteractiveDocument document)
    {
        string text = document.ToJupyterJson();
        var notebook = JsonNode.Parse(text)!;
        bool changed = false;
        foreach (var data in (notebook["cells"]?.AsArray() ?? []).SelectMany(c => c?["outputs"]?.AsArray() ?? []).Select(o => o?["data"]).OfType<JsonObject>())
        {
            foreach (var (mime, value) in data.ToList())
            {
                if (IsJsonMimeType(mime) && AsText(value) is { } json)
                {
                    data[mime] = JsonNode.Parse(json);
                    changed = true;
                }
                else if (mime.StartsWith("image/", StringComparison.Ordinal) && mime != "image/svg+xml" && value is JsonArray && AsText(value) is { } base64)
                {
                    data[mime] = base64; // one string, as Jupyter writes images: base64 split into a list of one is an oddity
                    changed = true;
                }
            }
        }
        return changed ? notebook.ToJsonString(Layout) : text;
    }

    private static readonly JsonSerializerOptions Layout = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static bool IsJsonMimeType(string mime) =>
        mime == "application/json" || (mime.StartsWith("application/", StringComparison.Ordinal) && mime.EndsWith("+json", StringComparison.Ordinal));

    // The serializer writes a string either whole or as a list of lines.
    private static string? AsText(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray lines when lines.All(l => l is JsonValue lv && lv.TryGetValue<string>(out _)) => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => null,
    };

    /// <summary>
    /// Writes next to the target and renames over it, so an interrupted run never leaves a
    /// half-written notebook behind.
    /// </summary>
    public static void WriteAtomically(string path, string content)
    {
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, path, overwrite: true);
    }
}

internal sealed class NotebookFormatException(string message, Exception? inner = null) : Exception(message, inner);

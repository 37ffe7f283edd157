using System.Text.Json;

namespace CourseSite.Site;

/// <summary>Input the site cannot be built from; the message names the file or folder.</summary>
public sealed class SiteInputException(string message, Exception? inner = null) : Exception(message, inner);

internal abstract record NotebookCell;

internal sealed record MarkdownCell(string Source) : NotebookCell;

internal sealed record CodeCell(string Source, string Language, IReadOnlyList<JsonElement> Outputs) : NotebookCell;

/// <summary>
/// The parts of an nbformat 4 notebook the site shows, read with System.Text.Json rather than the
/// Interactive document model: the site only reads committed files and must not depend on the kernel's packages.
/// </summary>
internal sealed record Notebook(string Path, IReadOnlyList<NotebookCell> Cells)
{
    /// <summary>"05-socket-lifecycle" for notebooks/05-socket-lifecycle.ipynb.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public static Notebook Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new SiteInputException($"{path}: not valid JSON: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new SiteInputException($"{path}: cannot be read: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw new SiteInputException($"{path}: not a notebook (no \"cells\" array at the top level)");
            }
            string defaultLanguage = DefaultLanguage(root);
            var read = new List<NotebookCell>();
            int index = 0;
            foreach (var cell in cells.EnumerateArray())
            {
                index++;
                string where = $"{path}, cell {index}";
                string type = cell.ValueKind == JsonValueKind.Object && cell.TryGetProperty("cell_type", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()!
                    : throw new SiteInputException($"{where}: no cell_type");
                string source = cell.TryGetProperty("source", out var s) ? Text(s, where) : "";
                switch (type)
                {
                    case "markdown":
                        read.Add(new MarkdownCell(source));
                        break;
                    case "code":
                        var outputs = cell.TryGetProperty("outputs", out var o) && o.ValueKind == JsonValueKind.Array
                            ? o.EnumerateArray().Select(e => e.Clone()).ToList()
                            : [];
                        read.Add(new CodeCell(source, Language(cell) ?? defaultLanguage, outputs));
                        break;
                    default:
                        break; // raw cells are for other exporters; a reader of the site has no use for them
                }
            }
            return new Notebook(path, read);
        }
    }

    /// <summary>nbformat stores multi-line strings either whole or as an array of lines.</summary>
    public static string Text(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Concat(value.EnumerateArray().Select(line => line.ValueKind == JsonValueKind.String
            ? line.GetString()
            : throw new SiteInputException($"{where}: a line of text that is not a string"))),
        _ => throw new SiteInputException($"{where}: text that is neither a string nor an array of lines"),
    };

    private static string DefaultLanguage(JsonElement root) =>
        root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
        && m.TryGetProperty("polyglot_notebook", out var p) && p.ValueKind == JsonValueKind.Object
        && p.TryGetProperty("kernelInfo", out var k) && k.ValueKind == JsonValueKind.Object
        && k.TryGetProperty("defaultKernelName", out var d) && d.ValueKind == JsonValueKind.String
            ? d.GetString()!
            : "csharp";

    private static string? Language(JsonElement cell)
    {
        if (!cell.TryGetProperty("metadata", out var m) || m.ValueKind != JsonValueKind.Object) return null;
        if (m.TryGetProperty("polyglot_notebook", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty("kernelName", out var k) && k.ValueKind == JsonValueKind.String) return k.GetString();
        if (m.TryGetProperty("dotnet_interactive", out var d) && d.ValueKind == JsonValueKind.Object
            && d.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String) return l.GetString();
        return null;
    }
}

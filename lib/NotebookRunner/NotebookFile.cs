using System.Text;
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

    public static string Serialize(InteractiveDocument document) => document.ToJupyterJson();

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

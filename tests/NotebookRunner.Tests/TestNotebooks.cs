using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace NotebookRunner.Tests;

/// <summary>Writes small notebooks for the tests in the same canonical form the course's notebooks use.</summary>
internal static class TestNotebooks
{
    public static string SetupCell =>
        $"#r \"{CourseLayout.NotebooksLibrary}\"\nusing NetIpc.Notebooks;\nChapter.Setup();";

    public static string Write(string path, params string[] codeCells)
    {
        var document = new InteractiveDocument();
        document.Add(new InteractiveDocumentElement("# A test notebook", "markdown"));
        foreach (var code in codeCells) document.Add(new InteractiveDocumentElement(code, "csharp"));
        var json = document.ToJupyterJson("C#");
        File.WriteAllText(path, json);
        return path;
    }
}

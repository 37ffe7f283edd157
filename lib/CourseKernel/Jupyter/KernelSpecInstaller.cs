using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKernel.Jupyter;

/// <summary>
/// Writes the kernelspec Jupyter front ends look up by the name in every notebook's metadata
/// (".net-csharp"), so they start this kernel without being told; and, for classic Jupyter Notebook,
/// an extension that draws the course's charts.
/// </summary>
public static class KernelSpecInstaller
{
    public const string KernelName = ".net-csharp";
    public const string ExtensionName = "course-plotly";

    /// <summary>Installs under <paramref name="prefix"/> (share/jupyter, etc/jupyter), or in the user's Jupyter folders.</summary>
    public static string Install(string? prefix, TextWriter output)
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string data = prefix is not null ? Path.Combine(prefix, "share", "jupyter")
            : Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } dataDir ? dataDir
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
        string config = prefix is not null ? Path.Combine(prefix, "etc", "jupyter")
            : Environment.GetEnvironmentVariable("JUPYTER_CONFIG_DIR") is { Length: > 0 } configDir ? configDir
            : Path.Combine(home, ".jupyter");

        string kernelDir = Path.Combine(Path.GetFullPath(data), "kernels", KernelName);
        Directory.CreateDirectory(kernelDir);
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray(DotnetHost(), Path.Combine(AppContext.BaseDirectory, "CourseKernel.dll"), "jupyter", "{connection_file}"),
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            // SIGINT would end a .NET process; the kernel cancels the running cell on an interrupt_request instead.
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["course"] = "the course's own kernel, Jupyter mode (lib/CourseKernel)" },
        };
        File.WriteAllText(Path.Combine(kernelDir, "kernel.json"), spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        output.WriteLine($"kernelspec {KernelName}: {kernelDir}");

        InstallNotebookExtension(Path.Combine(Path.GetFullPath(data), "nbextensions", ExtensionName), Path.Combine(Path.GetFullPath(config), "nbconfig", "notebook.d"), output);
        return kernelDir;
    }

    // The dotnet that runs this command: `dotnet CourseKernel.dll …` reports the host as the process.
    private static string DotnetHost()
    {
        string? process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
    }

    /// <summary>
    /// Classic Notebook (Debian's jupyter-notebook, 6.x) has no renderer for application/vnd.plotly.v1+json
    /// and would show only the chart's line of text. This extension registers one, with the plotly.js
    /// Plotly.NET carries (the version its figures are written for), served by the notebook server
    /// itself: no CDN. The kernel's outputs stay the same in every front end.
    /// </summary>
    private static void InstallNotebookExtension(string extensionDir, string nbconfigDir, TextWriter output)
    {
        string plotlyNet = Path.Combine(AppContext.BaseDirectory, "..", "..", "NetIpc.Notebooks", new DirectoryInfo(AppContext.BaseDirectory).Name, "Plotly.NET.dll");
        if (!File.Exists(plotlyNet))
        {
            output.WriteLine($"no {Path.GetFullPath(plotlyNet)} (build the course first): Jupyter Notebook 6 will show charts as text");
            return;
        }
        Directory.CreateDirectory(extensionDir);
        // Only the resource is read; no Plotly.NET code runs here.
        var assembly = Assembly.LoadFrom(plotlyNet);
        string resource = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using (var source = assembly.GetManifestResourceStream(resource)!)
        using (var target = File.Create(Path.Combine(extensionDir, "plotly.min.js")))
            source.CopyTo(target);
        using (var script = typeof(KernelSpecInstaller).Assembly.GetManifestResourceStream("CourseKernel.Jupyter.notebook-extension.js")!)
        using (var target = File.Create(Path.Combine(extensionDir, "main.js")))
            script.CopyTo(target);

        Directory.CreateDirectory(nbconfigDir);
        File.WriteAllText(Path.Combine(nbconfigDir, ExtensionName + ".json"),
            new JsonObject { ["load_extensions"] = new JsonObject { [ExtensionName + "/main"] = true } }.ToJsonString() + "\n");
        output.WriteLine($"Jupyter Notebook extension {ExtensionName} (charts, {resource["Plotly.NET.".Length..]}): {extensionDir}, enabled in {nbconfigDir}");
    }
}

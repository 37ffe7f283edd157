namespace CourseKernel.Tests;

/// <summary>Where the course's parts are, found from the test assembly's own location.</summary>
internal static class Course
{
    public static string Root => CourseRoot.Path;
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Name;
    public static string KernelDll => Path.Combine(Root, "artifacts", "bin", "CourseKernel", Configuration, "CourseKernel.dll");
    public static string Notebooks => Path.Combine(Root, "notebooks");
    public static string TestResults => Path.Combine(Root, "artifacts", "test-results", "jupyter");

    /// <summary>A fresh folder, removed on dispose.</summary>
    public static Scratch Scratch() => new(Path.Combine(Path.GetTempPath(), "course-jupyter-" + Guid.NewGuid().ToString("N")));

    /// <summary>
    /// Installs the kernelspec the way the README says (./run-course --install-jupyter-kernel runs this
    /// same command) into <paramref name="prefix"/>; returns the environment that makes Jupyter look there.
    /// </summary>
    public static Dictionary<string, string> InstallKernelSpec(string prefix)
    {
        var result = Run("dotnet", [KernelDll, "install-jupyter-kernel", "--prefix", prefix], Root, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
        return new()
        {
            ["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter"),
            ["JUPYTER_CONFIG_PATH"] = Path.Combine(prefix, "etc", "jupyter"),
            // Keep the user's own Jupyter folders (and any kernelspec of the same name in them) out of the test.
            ["JUPYTER_DATA_DIR"] = Path.Combine(prefix, "data"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(prefix, "config"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(prefix, "runtime"),
        };
    }

    /// <summary>A Debian Jupyter command, or a failure naming the package to install.</summary>
    public static string Tool(string command, string package)
    {
        string path = Path.Combine("/usr/bin", command);
        Assert.True(File.Exists(path),
            $"{path} is missing: Debian's {package}. ./run-course and .ci/run install it when run as root (tools/setup.sh); otherwise run: sudo apt-get install -y {package}");
        return path;
    }

    public static ProcessResult Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.Run(file, arguments, workingDirectory, limit, environment);
}

internal sealed class Scratch : IDisposable
{
    public Scratch(string path) { Path = path; Directory.CreateDirectory(path); }
    public string Path { get; }
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}

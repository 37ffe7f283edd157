namespace NotebookRunner.Tests;

/// <summary>Where the course's parts are, found from the test assembly's own location.</summary>
internal static class CourseLayout
{
    public static string Root => CourseRoot.Path;

    /// <summary>The build configuration these tests were built in ("debug", "release").</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Name;

    public static string RunnerDll => Built("NotebookRunner");
    public static string KernelDll => Built("CourseKernel");
    public static string NotebooksLibrary => Built("NetIpc.Notebooks");
    public static string Notebooks => Path.Combine(Root, "notebooks");

    private static string Built(string project) =>
        Path.Combine(Root, "artifacts", "bin", project, Configuration, project + ".dll");

    /// <summary>A scratch folder inside the course (so path scrubbing applies), removed on dispose.</summary>
    public static ScratchFolder Scratch() => new(Path.Combine(Root, "artifacts", "test-scratch", Guid.NewGuid().ToString("N")));
}

internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder(string path) { Path = path; Directory.CreateDirectory(path); }
    public string Path { get; }
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}

internal static class Processes
{
    /// <summary>Runs the runner as a user would; the hard limit only guards the test itself.</summary>
    public static ProcessResult RunRunner(params string[] arguments) =>
        Run("dotnet", [CourseLayout.RunnerDll, .. arguments], CourseLayout.Root, TimeSpan.FromMinutes(10));

    public static ProcessResult Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit) =>
        ChildProcess.Run(file, arguments, workingDirectory, limit);
}

/// <summary>
/// Tests that execute every chapter take one at a time: each keeps a core busy for minutes, starting a
/// kernel process per chapter, and side by side on a small machine they run into their own time limits.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class WholeCourse
{
    public const string Collection = "whole course";

    /// <summary>The trait of the tests that run the whole course (minutes each): <c>--filter "Category!=WholeCourse"</c> leaves them out.</summary>
    public const string Category = TestCategory.WholeCourse;
}

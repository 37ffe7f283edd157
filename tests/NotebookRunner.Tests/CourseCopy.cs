using System.Text.Json.Nodes;

namespace NotebookRunner.Tests;

/// <summary>
/// The course as another user must find it: a copy, in a folder every user can enter, of what running the
/// chapters reads — Course.sln (how the runner and the library find the course's root), data/ (the recordings),
/// solutions/, .devcontainer/ (chapter 00 reads its runArgs), the chapters, and the built runner, kernel, notebook library and experiment host, copied rather
/// than linked, because the checkout itself may sit in a folder only its owner can enter (a <c>mktemp -d</c>, a
/// home of mode 700). The library finds data/, notebooks/ and the experiment host from where it was loaded, so
/// nothing it reads leads back to the checkout.
/// </summary>
internal sealed class CourseCopy : IDisposable
{
    /// <summary>The built projects a chapter run loads: the runner starts the kernel beside it, the chapters #r the library, which starts the host.</summary>
    private static readonly string[] BuiltProjects = ["NotebookRunner", "CourseKernel", "NetIpc.Notebooks", "ExperimentHost"];

    private readonly ScratchFolder scratch;

    private CourseCopy(ScratchFolder scratch) => this.scratch = scratch;

    public string Path => scratch.Path;

    public string Notebooks => System.IO.Path.Combine(Path, "notebooks");

    public string Home => System.IO.Path.Combine(Path, "home");

    public string RunnerDll => Built("NotebookRunner");

    private string Built(string project) =>
        System.IO.Path.Combine(Path, "artifacts", "bin", project, CourseLayout.Configuration, project + ".dll");

    /// <summary>
    /// Why <paramref name="uid"/> could not use a copy made in this machine's temporary folder (the first folder
    /// on the way it cannot enter, with its mode and owner), or null when it can. Tried as that user, not worked
    /// out from modes, so ACLs and mounts count too.
    /// </summary>
    public static string? WhyNotReadableBy(int uid)
    {
        string temp = System.IO.Path.GetFullPath(System.IO.Path.GetTempPath());
        var folders = new List<string>();
        for (var dir = new DirectoryInfo(temp); dir is not null; dir = dir.Parent) folders.Insert(0, dir.FullName);
        foreach (var folder in folders)
        {
            var entered = Processes.Run("setpriv", [$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "test", "-x", folder], "/", TimeSpan.FromSeconds(10));
            if (entered.ExitCode != 0)
            {
                return $"uid {uid} cannot enter {folder} ({Describe(folder)}), the way to the temporary folder {temp} where the course " +
                       "is copied for it; set TMPDIR to a folder every user can enter (e.g. TMPDIR=/tmp)";
            }
        }
        return null;
    }

    /// <summary>"mode 0700, owner 0": what decides who may enter a folder.</summary>
    public static string Describe(string folder)
    {
        if (OperatingSystem.IsWindows()) return "mode unknown";
        var stat = Processes.Run("stat", ["-c", "mode %a, owner uid %u", folder], "/", TimeSpan.FromSeconds(10));
        return stat.ExitCode == 0 ? stat.StdOut.Trim() : $"mode {(int)File.GetUnixFileMode(folder):o}";
    }

    public static CourseCopy Make()
    {
        var copy = new CourseCopy(new ScratchFolder(Directory.CreateTempSubdirectory("netipc-course-").FullName));
        File.Copy(System.IO.Path.Combine(CourseLayout.Root, "Course.sln"), System.IO.Path.Combine(copy.Path, "Course.sln"));
        CopyTree(System.IO.Path.Combine(CourseLayout.Root, "data"), System.IO.Path.Combine(copy.Path, "data"));
        CopyTree(System.IO.Path.Combine(CourseLayout.Root, "solutions"), System.IO.Path.Combine(copy.Path, "solutions"));
        // Chapter 00 tells a reader in a container the docker run flags it reads from here.
        CopyTree(System.IO.Path.Combine(CourseLayout.Root, ".devcontainer"), System.IO.Path.Combine(copy.Path, ".devcontainer"));
        CopyTree(CourseLayout.Notebooks, copy.Notebooks);
        foreach (var project in BuiltProjects)
        {
            CopyTree(System.IO.Path.Combine(CourseLayout.Root, "artifacts", "bin", project, CourseLayout.Configuration),
                System.IO.Path.Combine(copy.Path, "artifacts", "bin", project, CourseLayout.Configuration));
        }
        Directory.CreateDirectory(copy.Home);
        if (!OperatingSystem.IsWindows())
        {
            // Readable by everyone (created under a private temporary folder of mode 700); the chapters' folder
            // and the home writable too, for the user who runs and rewrites them.
            foreach (var entry in Directory.EnumerateFileSystemEntries(copy.Path, "*", SearchOption.AllDirectories).Append(copy.Path))
            {
                bool folder = Directory.Exists(entry);
                File.SetUnixFileMode(entry, (UnixFileMode)(folder ? 0b111_101_101 : 0b110_100_100));
            }
            foreach (var path in new[] { copy.Notebooks, copy.Home }.Concat(Directory.EnumerateFiles(copy.Notebooks)))
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
            }
            foreach (var executable in Directory.EnumerateFiles(System.IO.Path.Combine(copy.Path, "artifacts"), "*", SearchOption.AllDirectories)
                         .Where(f => System.IO.Path.GetExtension(f) is ""))
            {
                File.SetUnixFileMode(executable, (UnixFileMode)0b111_101_101); // apphosts
            }
        }
        return copy;
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Fails naming the folder, its mode and owner, when <paramref name="uid"/> cannot read the runner in this copy.</summary>
    public void AssertReadableBy(int uid)
    {
        var read = Processes.Run("setpriv", [$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "test", "-r", RunnerDll], "/", TimeSpan.FromSeconds(10));
        Assert.True(read.ExitCode == 0, $"uid {uid} cannot read {RunnerDll} in the copy made for it ({WhyNotReadableBy(uid) ?? $"{Path}: {Describe(Path)}"})");
    }

    public IEnumerable<(string Notebook, int Cell, string Text)> RecordedCells() => RecordedCellsIn(Notebooks);

    public static IEnumerable<(string Notebook, int Cell, string Text)> RecordedCellsIn(string folder) =>
        from path in Directory.EnumerateFiles(folder, "*.ipynb").Order(StringComparer.Ordinal)
        let cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
        from index in Enumerable.Range(0, cells.Count)
        let text = cells[index]!["outputs"]?.ToJsonString() ?? ""
        where Provenance.RecordedMarkers.Any(marker => text.Contains(marker, StringComparison.Ordinal))
        select (System.IO.Path.GetFileName(path), index, text);

    public string AllText() => string.Concat(Directory.EnumerateFiles(Notebooks, "*.ipynb").Select(File.ReadAllText));

    public void Dispose() => scratch.Dispose();
}

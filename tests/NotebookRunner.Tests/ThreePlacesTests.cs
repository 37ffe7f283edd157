using System.Text.Json.Nodes;

namespace NotebookRunner.Tests;

/// <summary>
/// The course where learners run it: as an ordinary user, and as root in a container with Docker's
/// default capabilities. Run as root, the suite switches to each place itself (setpriv; unshare +
/// capsh), executes every chapter there, and reads what each cell showed. Elsewhere it says why not.
/// </summary>
[Collection(WholeCourse.Collection)]
public class ThreePlacesTests
{
    /// <summary>What a recording shows above its result: the runner's matcher's words (lib/NetIpc/RecordedMarkers.cs).</summary>
    private static IReadOnlyList<string> RecordedMarkers => Provenance.RecordedMarkers;

    /// <summary>Docker's default capability set (moby's oci/caps/defaults.go); everything else is dropped.</summary>
    private static readonly string[] DockerDefaults =
        ["chown", "dac_override", "fsetid", "fowner", "mknod", "net_raw", "setgid", "setuid", "setfcap", "setpcap", "net_bind_service", "sys_chroot", "kill", "audit_write"];

    /// <summary>The kernel's capability names by number (include/uapi/linux/capability.h).</summary>
    private static readonly string[] CapabilityNames =
    [
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap", "linux_immutable",
        "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace",
        "sys_pacct", "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write",
        "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
    ];

    [PlacesFact]
    public void As_an_ordinary_user_every_chapter_runs_live()
    {
        using var course = CourseCopy.Make();
        var run = Processes.Run("setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "env", $"HOME={course.Home}", $"DOTNET_CLI_HOME={course.Home}",
             "dotnet", CourseLayout.RunnerDll, course.Notebooks],
            course.Path, TimeSpan.FromMinutes(15));
        // Without --allow-recorded the runner refuses to replace a live output with a recording (exit 3).
        Assert.True(run.ExitCode == 0, run.ToString());
        // Only what is recorded everywhere (a benchmark run that takes minutes) may show a recording.
        Assert.Equal(CourseCopy.RecordedCellsIn(CourseLayout.Notebooks).Select(c => (c.Notebook, c.Cell)), course.RecordedCells().Select(c => (c.Notebook, c.Cell)));
        Assert.Contains("in a child process inside a user namespace of its own", course.AllText());
    }

    [PlacesFact]
    public void As_root_in_a_container_with_Dockers_default_capabilities_every_chapter_runs_and_each_recording_names_what_was_missing()
    {
        using var course = CourseCopy.Make();
        int last = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim());
        string drop = string.Join(',', CapabilityNames.Take(last + 1).Except(DockerDefaults).Select(c => "cap_" + c));
        // A container: its own network namespace (loopback up), root without the dropped capabilities, and —
        // as Docker's seccomp profile does — no way to create user namespaces (here: their limit set to 0
        // in the namespace the "container" lives in, which changes nothing outside it).
        const string container = "echo 0 > /proc/sys/user/max_user_namespaces && ip link set lo up && exec capsh --drop=\"$0\" -- -c 'exec \"$@\"' capsh \"$@\"";
        var run = Processes.Run("unshare",
            ["--user", "--map-root-user", "--net", "--", "/bin/sh", "-c", container, drop,
             "env", $"HOME={course.Home}", "dotnet", CourseLayout.RunnerDll, course.Notebooks, "--allow-recorded"],
            course.Path, TimeSpan.FromMinutes(15));
        Assert.True(run.ExitCode == 0, run.ToString());
        var everywhere = CourseCopy.RecordedCellsIn(CourseLayout.Notebooks).Select(c => (c.Notebook, c.Cell)).ToHashSet();
        var recorded = course.RecordedCells().Where(c => !everywhere.Contains((c.Notebook, c.Cell))).ToList();
        Assert.NotEmpty(recorded); // namespaces cannot be had there
        Assert.All(recorded, cell => Assert.Matches("needs CAP_SYS_ADMIN|needs CAP_NET_ADMIN", cell.Text));
        Assert.All(recorded, cell => Assert.Contains("user namespaces are blocked here (see chapter 00)", cell.Text));
    }

    /// <summary>
    /// A copy of the chapters in a folder every user may write, outside the course's tree (as a learner's
    /// copy may be), beside a link to the built course: the library must find its experiment host and
    /// data from there too.
    /// </summary>
    private sealed class CourseCopy : IDisposable
    {
        private readonly ScratchFolder scratch;

        private CourseCopy(ScratchFolder scratch) => this.scratch = scratch;

        public string Path => scratch.Path;

        public string Notebooks => System.IO.Path.Combine(Path, "notebooks");

        public string Home => System.IO.Path.Combine(Path, "home");

        public static CourseCopy Make()
        {
            var copy = new CourseCopy(new ScratchFolder(Directory.CreateTempSubdirectory("netipc-course-").FullName));
            Directory.CreateDirectory(copy.Notebooks);
            Directory.CreateDirectory(copy.Home);
            foreach (var notebook in Directory.EnumerateFiles(CourseLayout.Notebooks, "*.ipynb"))
            {
                File.Copy(notebook, System.IO.Path.Combine(copy.Notebooks, System.IO.Path.GetFileName(notebook)));
            }
            // The chapters load ../artifacts/bin/…: the same build, through a link.
            File.CreateSymbolicLink(System.IO.Path.Combine(copy.Path, "artifacts"), System.IO.Path.Combine(CourseLayout.Root, "artifacts"));
            foreach (var path in new[] { copy.Path, copy.Notebooks, copy.Home }.Concat(Directory.EnumerateFiles(copy.Notebooks)))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111); // another user runs and writes here
                }
            }
            return copy;
        }

        public IEnumerable<(string Notebook, int Cell, string Text)> RecordedCells() => RecordedCellsIn(Notebooks);

        public static IEnumerable<(string Notebook, int Cell, string Text)> RecordedCellsIn(string folder) =>
            from path in Directory.EnumerateFiles(folder, "*.ipynb").Order(StringComparer.Ordinal)
            let cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
            from index in Enumerable.Range(0, cells.Count)
            let text = cells[index]!["outputs"]?.ToJsonString() ?? ""
            where RecordedMarkers.Any(marker => text.Contains(marker, StringComparison.Ordinal))
            select (System.IO.Path.GetFileName(path), index, text);

        public string AllText() => string.Concat(Directory.EnumerateFiles(Notebooks, "*.ipynb").Select(File.ReadAllText));

        public void Dispose() => scratch.Dispose();
    }
}

/// <summary>Runs where this process may become another user and drop capabilities: tried, not assumed from the uid.</summary>
public sealed class PlacesFactAttribute : FactAttribute
{
    public PlacesFactAttribute() => Skip = Why();

    private static string? Why()
    {
        try
        {
            var user = Processes.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "true"], "/", TimeSpan.FromSeconds(10));
            var container = Processes.Run("unshare", ["--user", "--map-root-user", "--net", "--", "capsh", "--drop=cap_sys_admin", "--", "-c", "true"], "/", TimeSpan.FromSeconds(10));
            return user.ExitCode != 0 ? $"cannot check the course as an ordinary user here: setpriv to uid 65534 failed ({user.StdErr.Trim()}); run the suite as root"
                : container.ExitCode != 0 ? $"cannot emulate a container here: unshare + capsh failed ({container.StdErr.Trim()}); install libcap2-bin (capsh) and run as root"
                : null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot switch places here: {e.Message} (setpriv, unshare: util-linux; capsh: libcap2-bin)";
        }
    }
}

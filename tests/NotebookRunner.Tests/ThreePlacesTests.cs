namespace NotebookRunner.Tests;

/// <summary>
/// The course where learners run it: as an ordinary user, and as root in a container with Docker's
/// default capabilities. Run as root, the suite switches to each place itself (setpriv; unshare +
/// capsh), executes every chapter there, and reads what each cell showed. Elsewhere it says why not.
/// </summary>
[Collection(WholeCourse.Collection)]
public class ThreePlacesTests
{
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

    /// <summary>nobody: a user that owns nothing of the course.</summary>
    internal const int OrdinaryUser = 65534;

    /// <summary>The copies made for the places, removed when the test process ends if a test did not remove its own.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<CourseCopy> Copies = [];

    /// <summary>
    /// The two places run the course side by side, started together by whichever test comes first, so the suite
    /// waits for one run rather than two: the container's is the lighter (it shows recordings where a namespace is
    /// needed), and the two cannot disturb each other — the container has a network namespace of its own, so their
    /// ports and socket tables never meet.
    /// </summary>
    private static readonly Lazy<(Task<Place> User, Task<Place> Container)> Places = new(() =>
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var copy in Copies) copy.Dispose(); };
        return (Task.Run(RunAsOrdinaryUser), Task.Run(RunInContainer));
    });

    private sealed record Place(CourseCopy Course, ProcessResult Run);

    private static Place RunAsOrdinaryUser()
    {
        var course = CourseCopy.Make();
        Copies.Add(course);
        try
        {
            course.AssertReadableBy(OrdinaryUser);
            var run = Processes.Run("setpriv",
                [$"--reuid={OrdinaryUser}", $"--regid={OrdinaryUser}", "--clear-groups", "--inh-caps=-all", "env", $"HOME={course.Home}", $"DOTNET_CLI_HOME={course.Home}",
                 "dotnet", course.RunnerDll, course.Notebooks],
                course.Path, TimeSpan.FromMinutes(20));
            return new(course, run);
        }
        catch
        {
            course.Dispose(); // the test never gets the copy to remove
            throw;
        }
    }

    private static Place RunInContainer()
    {
        var course = CourseCopy.Make();
        Copies.Add(course);
        int last = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim());
        string drop = string.Join(',', CapabilityNames.Take(last + 1).Except(DockerDefaults).Select(c => "cap_" + c));
        // A container: its own network namespace (loopback up), root without the dropped capabilities, and —
        // as Docker's seccomp profile does — no way to create user namespaces (here: their limit set to 0
        // in the namespace the "container" lives in, which changes nothing outside it).
        const string container = "echo 0 > /proc/sys/user/max_user_namespaces && ip link set lo up && exec capsh --drop=\"$0\" -- -c 'exec \"$@\"' capsh \"$@\"";
        try
        {
            var run = Processes.Run("unshare",
                ["--user", "--map-root-user", "--net", "--", "/bin/sh", "-c", container, drop,
                 "env", $"HOME={course.Home}", "dotnet", course.RunnerDll, course.Notebooks, "--allow-recorded"],
                course.Path, TimeSpan.FromMinutes(20));
            return new(course, run);
        }
        catch
        {
            course.Dispose();
            throw;
        }
    }

    [PlacesFact, Trait("Category", WholeCourse.Category)]
    public async Task As_an_ordinary_user_every_chapter_runs_live()
    {
        var (course, run) = await Places.Value.User;
        using var _ = course;
        // Without --allow-recorded the runner refuses to replace a live output with a recording (exit 3).
        Assert.True(run.ExitCode == 0, run.ToString());
        // Only what is recorded everywhere (a benchmark run that takes minutes) may show a recording.
        Assert.Equal(CourseCopy.RecordedCellsIn(CourseLayout.Notebooks).Select(c => (c.Notebook, c.Cell)), course.RecordedCells().Select(c => (c.Notebook, c.Cell)));
        Assert.Contains("in a child process inside a user namespace of its own", course.AllText());
    }

    [PlacesFact, Trait("Category", WholeCourse.Category)]
    public async Task As_root_in_a_container_with_Dockers_default_capabilities_every_chapter_runs_and_each_recording_names_what_was_missing()
    {
        var (course, run) = await Places.Value.Container;
        using var _ = course;
        Assert.True(run.ExitCode == 0, run.ToString());
        var everywhere = CourseCopy.RecordedCellsIn(CourseLayout.Notebooks).Select(c => (c.Notebook, c.Cell)).ToHashSet();
        var recorded = course.RecordedCells().Where(c => !everywhere.Contains((c.Notebook, c.Cell))).ToList();
        Assert.NotEmpty(recorded); // namespaces cannot be had there
        Assert.All(recorded, cell => Assert.Matches("needs CAP_SYS_ADMIN|needs CAP_NET_ADMIN", cell.Text));
        Assert.All(recorded, cell => Assert.Contains("user namespaces are blocked here (see chapter 00)", cell.Text));
    }
}

/// <summary>Runs where this process may become another user and drop capabilities: tried, not assumed from the uid.</summary>
public sealed class PlacesFactAttribute : ConditionalFactAttribute
{
    public PlacesFactAttribute() => Skip = Why();

    private static string? Why()
    {
        try
        {
            var user = Processes.Run("setpriv", [$"--reuid={ThreePlacesTests.OrdinaryUser}", $"--regid={ThreePlacesTests.OrdinaryUser}", "--clear-groups", "true"], "/", TimeSpan.FromSeconds(10));
            var container = Processes.Run("unshare", ["--user", "--map-root-user", "--net", "--", "capsh", "--drop=cap_sys_admin", "--", "-c", "true"], "/", TimeSpan.FromSeconds(10));
            return user.ExitCode != 0 ? $"cannot check the course as an ordinary user here: setpriv to uid {ThreePlacesTests.OrdinaryUser} failed ({user.StdErr.Trim()}); run the suite as root"
                : container.ExitCode != 0 ? $"cannot emulate a container here: unshare + capsh failed ({container.StdErr.Trim()}); install libcap2-bin (capsh) and run as root"
                : CourseCopy.WhyNotReadableBy(ThreePlacesTests.OrdinaryUser);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot switch places here: {e.Message} (setpriv, unshare: util-linux; capsh: libcap2-bin)";
        }
    }
}

using NetIpc.Commands;
using NetIpc.Isolation;

namespace NetIpc.Tests.Isolation;

/// <summary>
/// Ubuntu's AppArmor lock on user namespaces: the profile the course installs, and tools/apparmor/install.sh's
/// decision (tools/setup.sh runs it), taken against fixture folders standing in for /proc/sys and
/// /sys/kernel/security, in its dry run. This machine need not have AppArmor.
/// </summary>
public class AppArmorSetupTests
{
    private static string Tools => Path.Combine(Recordings.CourseRoot, "tools");

    private static string ProfileText => File.ReadAllText(Path.Combine(Tools, "apparmor", "netipc-course"));

    [Fact]
    public void The_profile_allows_user_namespaces_to_exactly_the_copy_of_unshare_the_library_runs()
    {
        string[] lines = [.. ProfileText.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        Assert.Equal(
            [
                "abi <abi/4.0>,",
                "include <tunables/global>",
                $"profile netipc-course-unshare {UserNamespaceBlock.CourseUnshare} flags=(unconfined) {{",
                "userns,",
                "include if exists <local/netipc-course>",
                "}",
            ],
            lines);
        // Root-owned and only root's: a path an ordinary user could write would unlock whatever they put there.
        Assert.StartsWith("/usr/local/libexec/", UserNamespaceBlock.CourseUnshare);
    }

    [Fact]
    public void Setup_sh_runs_the_installer() =>
        Assert.Contains("\"$(dirname \"$0\")/apparmor/install.sh\"", File.ReadAllLines(Path.Combine(Tools, "setup.sh")).Select(l => l.Trim()));

    [LinuxFact]
    public void Where_the_lock_is_on_root_copies_unshare_installs_the_profile_and_loads_it()
    {
        using var machine = Locked("1");
        var run = Install(machine);
        string unshare = Path.GetFullPath(ExternalCommand.Run("readlink", "-f", Which("unshare")).StandardOutput.Trim());
        Assert.Equal(
            [
                $"would run: install -D -o root -g root -m 0755 {unshare} {UserNamespaceBlock.CourseUnshare}",
                $"would run: install -D -o root -g root -m 0644 {Path.Combine(machine.Path, "tools", "apparmor", "netipc-course")} /etc/apparmor.d/netipc-course",
                "would run: apparmor_parser -r /etc/apparmor.d/netipc-course",
            ],
            Lines(run.StandardOutput));
    }

    [LinuxFact]
    public void Where_the_copy_and_the_profile_are_in_place_root_only_loads_it_again()
    {
        using var machine = Locked("1");
        machine.Copy(ExternalCommand.Run("readlink", "-f", Which("unshare")).StandardOutput.Trim(), UserNamespaceBlock.CourseUnshare);
        machine.Copy(Path.Combine(Tools, "apparmor", "netipc-course"), "/etc/apparmor.d/netipc-course");
        Assert.Equal(["would run: apparmor_parser -r /etc/apparmor.d/netipc-course"], Lines(Install(machine).StandardOutput));
    }

    [LinuxTheory]
    [InlineData("0", true)]
    [InlineData(null, true)]
    [InlineData("1", false)]
    public void Where_the_lock_is_off_or_there_is_no_apparmor_it_does_nothing(string? lockValue, bool apparmor)
    {
        using var machine = new MachineFixture();
        if (lockValue is not null)
        {
            machine.Sysctl("kernel.apparmor_restrict_unprivileged_userns", lockValue);
        }
        if (apparmor)
        {
            machine.Write("sys/kernel/security/apparmor/profiles", "");
        }
        var run = Install(machine);
        Assert.Equal((0, "", ""), (run.ExitCode, run.StandardOutput, run.StandardError));
    }

    [LinuxFact]
    public void An_ordinary_user_is_told_to_run_it_with_sudo_and_nothing_is_tried()
    {
        using var machine = Locked("1");
        var run = NetIpc.Native.LibC.GetEffectiveUserId() == 0
            ? Install(machine, ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
            : Install(machine);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.StandardOutput);
        Assert.Contains("run: sudo tools/setup.sh", run.StandardError);
    }

    private static MachineFixture Locked(string value)
    {
        var machine = new MachineFixture();
        machine.Sysctl("kernel.apparmor_restrict_unprivileged_userns", value).Write("sys/kernel/security/apparmor/profiles", "");
        return machine;
    }

    private static CommandResult Install(MachineFixture machine, string[]? prefix = null)
    {
        // The script and its profile run from a copy in the fixture: uid 65534 may not enter the checkout (a home
        // of mode 700, a mktemp -d), and the ordinary user's run reads the same fixture, readable by every user.
        string apparmor = Path.Combine(machine.Path, "tools", "apparmor");
        Directory.CreateDirectory(apparmor);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Tools, "apparmor")))
        {
            File.Copy(file, Path.Combine(apparmor, Path.GetFileName(file)), overwrite: true);
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(machine.Path, "*", SearchOption.AllDirectories).Append(machine.Path))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(entry, Directory.Exists(entry) ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
            }
        }
        string script = Path.Combine(apparmor, "install.sh");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        }
        string[] command = [.. prefix ?? [], script];
        var run = ExternalCommand.Run(command[0], command[1..], TimeSpan.FromSeconds(20), null,
            new Dictionary<string, string> { ["NETIPC_SYSTEM_ROOT"] = machine.Root, ["NETIPC_DRY_RUN"] = "1" });
        Assert.True(run.ExitCode == 0, $"{run.Command}: exit {run.ExitCode}\n{run.StandardError}");
        return run;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Which(string program) => ExternalCommand.Run("sh", "-c", $"command -v {program}").StandardOutput.Trim();
}

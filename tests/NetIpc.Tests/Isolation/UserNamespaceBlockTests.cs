using System.Text.RegularExpressions;
using NetIpc.Isolation;

namespace NetIpc.Tests.Isolation;

/// <summary>
/// What a learner reads where a child in a user namespace cannot start: the one cause that holds on the machine
/// (read from fixtures standing in for /proc, /sys and the container's files) and the one thing to do.
/// </summary>
public class UserNamespaceBlockTests
{
    private const string SeccompRefusal = "unshare: unshare failed: Operation not permitted";
    private const string LimitRefusal = "unshare: unshare failed: No space left on device";
    private const string AppArmorRefusal = "unshare: write failed /proc/self/uid_map: Operation not permitted";

    /// <summary>A Dev Container definition as VS Code writes it: comments and a trailing comma.</summary>
    private const string DevContainerJson = """
        {
          // The experiments build network namespaces: root in the container needs these.
          "name": "netipc-course",
          "runArgs": ["--cap-add=SYS_ADMIN", "--cap-add=NET_ADMIN", "--security-opt", "seccomp=unconfined",],
          /* no user namespace is needed then */
        }
        """;

    [Fact]
    public void A_limit_of_zero_is_the_cause_and_the_remedy_restores_the_kernels_default()
    {
        using var machine = new MachineFixture();
        machine.Sysctl("user.max_user_namespaces", "0").Seccomp().Sysctl("kernel.apparmor_restrict_unprivileged_userns", "1");
        var block = UserNamespaceBlock.Detect(LimitRefusal, machine.Root);
        Assert.Equal(UserNamespaceBlockKind.Limit, block.Kind);
        Assert.Equal("user.max_user_namespaces is 0", block.Cause);
        // fork_init: every ucount limit starts at threads-max / 2.
        Assert.Equal("run sudo sysctl -w user.max_user_namespaces=96367", block.Remedy(machine.Course));
    }

    [Fact]
    public void A_limit_used_up_says_how_many_it_allows()
    {
        using var machine = new MachineFixture();
        machine.Sysctl("user.max_user_namespaces", "4");
        var block = UserNamespaceBlock.Detect(LimitRefusal, machine.Root);
        Assert.Equal(UserNamespaceBlockKind.Limit, block.Kind);
        Assert.Contains("the 4 user namespaces", block.Cause);
    }

    [Fact]
    public void In_a_docker_container_with_a_seccomp_filter_the_remedy_is_the_dev_containers_run_flags()
    {
        using var machine = new MachineFixture();
        machine.Seccomp().Write(".dockerenv", "").DevContainer(DevContainerJson);
        var block = UserNamespaceBlock.Detect(SeccompRefusal, machine.Root);
        Assert.Equal(UserNamespaceBlockKind.Seccomp, block.Kind);
        Assert.Equal("/.dockerenv", block.Container);
        Assert.Equal(
            "start the container as an ordinary user, never root, with docker run --cap-add=SYS_ADMIN --cap-add=NET_ADMIN --security-opt seccomp=unconfined "
            + "(podman run takes the same flags), or open the course in its Dev Container",
            block.Remedy(machine.Course));
        Assert.StartsWith("User namespaces are blocked here, in a container (/.dockerenv): a seccomp filter", block.Sentence(machine.Course));
    }

    [Theory]
    [InlineData("run/.containerenv", "", "/run/.containerenv")]
    [InlineData("proc/1/cgroup", "0::/system.slice/docker-4f1c.scope\n", "docker in /proc/1/cgroup")]
    [InlineData("proc/1/cgroup", "12:pids:/kubepods/besteffort/pod1\n", "kubepods in /proc/1/cgroup")]
    public void A_container_is_known_by_podmans_file_or_pid_1s_cgroup(string file, string text, string hint)
    {
        using var machine = new MachineFixture();
        machine.Seccomp().Write(file, text);
        Assert.Equal(hint, UserNamespaceBlock.Detect(SeccompRefusal, machine.Root).Container);
    }

    [Fact]
    public void In_a_container_without_the_courses_dev_container_definition_the_remedy_fails_naming_the_file()
    {
        using var machine = new MachineFixture();
        machine.Seccomp().Write(".dockerenv", "");
        var block = UserNamespaceBlock.Detect(SeccompRefusal, machine.Root);
        var e = Assert.Throws<FileNotFoundException>(() => block.Remedy(machine.Course));
        Assert.Contains(".devcontainer/devcontainer.json is missing", e.Message);
    }

    [Fact]
    public void A_seccomp_filter_outside_a_container_is_named_as_such()
    {
        using var machine = new MachineFixture();
        machine.Seccomp();
        var block = UserNamespaceBlock.Detect(SeccompRefusal, machine.Root);
        Assert.Equal((UserNamespaceBlockKind.Seccomp, null), (block.Kind, block.Container));
        Assert.Contains("Seccomp: 2", block.Cause);
        Assert.Contains("ordinary terminal", block.Remedy(machine.Course));
    }

    [Fact]
    public void Debians_switch_is_named_with_the_sysctl_line_that_turns_it_on()
    {
        using var machine = new MachineFixture();
        machine.Sysctl("kernel.unprivileged_userns_clone", "0");
        var block = UserNamespaceBlock.Detect(SeccompRefusal, machine.Root);
        Assert.Equal(UserNamespaceBlockKind.DebianSwitch, block.Kind);
        Assert.Equal("run sudo sysctl -w kernel.unprivileged_userns_clone=1", block.Remedy(machine.Course));
    }

    [Fact]
    public void Ubuntus_apparmor_lock_sends_the_learner_to_setup_sh()
    {
        using var machine = new MachineFixture();
        machine.Sysctl("kernel.apparmor_restrict_unprivileged_userns", "1").Sysctl("kernel.unprivileged_userns_clone", "1");
        var block = UserNamespaceBlock.Detect(AppArmorRefusal, machine.Root);
        Assert.Equal(UserNamespaceBlockKind.AppArmorLock, block.Kind);
        Assert.Contains("kernel.apparmor_restrict_unprivileged_userns is 1", block.Cause);
        Assert.StartsWith("run sudo tools/setup.sh once", block.Remedy(machine.Course));
    }

    [Fact]
    public void Where_no_known_cause_holds_it_says_so_and_quotes_unshare()
    {
        using var machine = new MachineFixture();
        machine.Sysctl("kernel.apparmor_restrict_unprivileged_userns", "0");
        var block = UserNamespaceBlock.Detect(SeccompRefusal, machine.Root);
        Assert.Equal(UserNamespaceBlockKind.Unknown, block.Kind);
        Assert.Contains(SeccompRefusal, block.Cause);
    }

    [Theory]
    [InlineData("limit")]
    [InlineData("container")]
    [InlineData("apparmor")]
    [InlineData("unknown")]
    public void Each_sentence_a_learner_reads_has_at_most_forty_words(string place)
    {
        using var machine = new MachineFixture();
        machine.DevContainer(DevContainerJson);
        _ = place switch
        {
            "limit" => machine.Sysctl("user.max_user_namespaces", "0"),
            "container" => machine.Seccomp().Write(".dockerenv", ""),
            "apparmor" => machine.Sysctl("kernel.apparmor_restrict_unprivileged_userns", "1"),
            _ => machine,
        };
        string text = UserNamespaceBlock.Detect(AppArmorRefusal, machine.Root).Sentence(machine.Course);
        Assert.All(Regex.Split(text, @"(?<=\.)\s+(?=\p{Lu})"), s => Assert.InRange(s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, 5, 40));
    }

    [Fact]
    public void A_dev_container_definition_without_run_args_or_not_json_is_a_format_error_naming_it()
    {
        using var machine = new MachineFixture();
        machine.DevContainer("""{ "name": "x" }""");
        Assert.Contains("runArgs", Assert.Throws<FormatException>(() => DevContainer.RunArgs(machine.Course)).Message);
        machine.DevContainer("""{ "runArgs": [ """);
        Assert.Contains("devcontainer.json", Assert.Throws<FormatException>(() => DevContainer.RunArgs(machine.Course)).Message);
    }

    [Fact]
    public void A_flag_with_a_space_or_a_quote_is_quoted_for_the_shell() =>
        Assert.Equal("--cap-add=NET_ADMIN '--label=a b' '--name=it'\\''s'", DevContainer.Flags(["--cap-add=NET_ADMIN", "--label=a b", "--name=it's"]));

    [Fact]
    public void A_recorded_cell_shows_one_short_line_where_user_namespaces_are_blocked()
    {
        using var machine = new MachineFixture();
        machine.Sysctl("user.max_user_namespaces", "0");
        var route = new Route(RouteKind.Unavailable, "needs CAP_SYS_ADMIN, which …; a child … could not start either")
        {
            Lacks = "CAP_SYS_ADMIN",
            Block = UserNamespaceBlock.Detect(LimitRefusal, machine.Root),
        };
        var measured = Measured.LiveOr<NetIpc.Hosts.TwoHostsResult>(
            () => throw new CapabilityMissingException("two-hosts", route.Description, route.Brief), "experiments/two-hosts.json");
        Assert.True(measured.IsRecorded);
        Assert.StartsWith(RecordingLabel.Marker, measured.Source);
        Assert.EndsWith(" — two-hosts needs CAP_SYS_ADMIN, and user namespaces are blocked here (see chapter 00)", measured.Source);
        Assert.DoesNotContain("could not start", measured.Source);
    }

    [Fact]
    public void A_route_blocked_for_another_reason_keeps_its_whole_description() =>
        Assert.Null(new Route(RouteKind.Unavailable, "needs the ip command") { Lacks = "CAP_NET_ADMIN" }.Brief);
}

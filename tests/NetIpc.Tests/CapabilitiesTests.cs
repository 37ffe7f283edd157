using NetIpc.Hosts;
using NetIpc.Isolation;
using Exp = NetIpc.Experiments;

namespace NetIpc.Tests;

/// <summary>
/// The capability answers must be what the kernel says: each is compared with the process's capability
/// mask, and the child-in-a-user-namespace route is exercised for real, whatever this process may do.
/// </summary>
public class CapabilitiesTests
{
    [LinuxFact]
    public void Every_capability_is_probed_once_with_what_was_tried_and_a_sentence()
    {
        Assert.Equal(Enum.GetValues<Capability>(), Capabilities.Here.Select(p => p.Capability));
        Assert.All(Capabilities.Here, p => Assert.False(string.IsNullOrWhiteSpace(p.Tried)));
        // Both ways, so that a process allowed everything (root) still checks every probe's sentence: a refusal
        // says why, and an allowance says none of the words a refusal would.
        Assert.All(Capabilities.Here, p => Assert.Equal(
            (p.Capability, !p.Allowed),
            (p.Capability, System.Text.RegularExpressions.Regex.IsMatch(p.Outcome, "needs|refused|failed|cannot|read-only"))));
        Assert.Same(Capabilities.Here, Capabilities.Here); // tried once, remembered
    }

    [LinuxFact]
    public void Raw_and_packet_sockets_follow_CAP_NET_RAW()
    {
        Assert.Equal(HasCapability(13), Capabilities.Of(Capability.RawSocket).Allowed);
        Assert.Equal(HasCapability(13), Capabilities.Of(Capability.PacketSocket).Allowed);
        if (!HasCapability(13))
        {
            Assert.Contains("CAP_NET_RAW", Capabilities.Of(Capability.RawSocket).Outcome);
        }
    }

    [LinuxFact]
    public void A_namespace_needs_CAP_SYS_ADMIN_and_what_happens_inside_it_needs_CAP_NET_ADMIN()
    {
        // Having the capability is necessary, not sufficient (seccomp may still refuse).
        var netns = Capabilities.Of(Capability.NetworkNamespace);
        if (!HasCapability(21))
        {
            Assert.False(netns.Allowed);
            Assert.Contains("CAP_SYS_ADMIN", netns.Outcome);
        }
        if (netns.Allowed)
        {
            Assert.Equal(HasCapability(12), Capabilities.Of(Capability.LoopbackUp).Allowed);
            Assert.Equal(HasCapability(12), Capabilities.Of(Capability.VethPair).Allowed);
        }
        else
        {
            Assert.All(new[] { Capability.LoopbackUp, Capability.VethPair, Capability.NetSysctl },
                c => Assert.Contains("network namespace", Capabilities.Of(c).Outcome));
        }
    }

    [LinuxFact]
    public void The_route_runs_in_this_process_exactly_when_this_process_has_every_need()
    {
        var needs = new[] { Capability.NetworkNamespace, Capability.VethPair };
        bool here = needs.All(n => Capabilities.Of(n).Allowed);
        Assert.Equal(here, Capabilities.RouteFor(needs).Kind == RouteKind.InProcess);
        Assert.Equal(RouteKind.InProcess, Capabilities.RouteFor(Capability.ProcNet).Kind);
    }

    [Fact]
    public void Every_declared_experiment_is_found_by_name_with_its_needs_and_chapter()
    {
        var names = IsolatedExperiment.All.Select(e => e.Name).ToList();
        Assert.Equal(names.Distinct(), names);
        Assert.Contains("two-hosts", names);
        Assert.Contains("syn-queue", names);
        Assert.All(IsolatedExperiment.All, e => Assert.Contains(Capability.NetworkNamespace, e.Needs));
        Assert.All(IsolatedExperiment.All, e => Assert.Matches(@"^\d\d$", e.Chapter));
        Assert.Same(Exp.TwoHostsRun, IsolatedExperiment.Find("two-hosts"));
        var error = Assert.Throws<ArgumentException>(() => IsolatedExperiment.Find("no-such-thing"));
        Assert.Contains("two-hosts", error.Message);
    }

    [UserNamespaceFact]
    public void A_child_in_a_user_namespace_of_its_own_may_build_networks_this_process_may_not()
    {
        var child = Capabilities.InUserNamespace.Probes!;
        Assert.All(new[] { Capability.ProcNet, Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair, Capability.RawSocket },
            c => Assert.True(child.Single(p => p.Capability == c).Allowed, child.Single(p => p.Capability == c).Outcome));
    }

    [UserNamespaceFact]
    public void An_experiment_run_in_the_child_returns_the_same_kind_of_result_as_in_process()
    {
        var capped = Exp.AcceptQueueUnderSomaxconn.InChild((Backlog: 8, Clients: 6, Somaxconn: 2));
        Assert.Equal((2, 3, 3), (capped.EffectiveBacklog, capped.PeakQueued, capped.StuckInSynSent));
        var hosts = Exp.TwoHostsRun.InChild(5);
        Assert.All(hosts.Checks, c => Assert.True(c.Holds, $"{c.Claim}: {c.Evidence}"));
        Assert.Equal("10.12.0.2", hosts.Server.Address);
    }

    [UserNamespaceFact]
    public void A_failure_in_the_child_names_the_experiment_and_carries_the_childs_message()
    {
        // somaxconn = -1 is refused by the kernel inside the child's namespace (EINVAL).
        var error = Assert.Throws<InvalidOperationException>(() =>
            Exp.AcceptQueueUnderSomaxconn.InChild((Backlog: 8, Clients: 2, Somaxconn: -1)));
        Assert.Contains("accept-queue-somaxconn", error.Message);
        Assert.Contains("Invalid argument", error.Message);
    }

    [LinuxFact]
    public void Measured_shows_the_recording_and_the_reason_when_an_experiment_cannot_run()
    {
        var measured = Measured.LiveOr<TwoHostsResult>(
            () => throw new CapabilityMissingException("two-hosts", "needs CAP_SYS_ADMIN (test)"), "experiments/two-hosts.json");
        Assert.True(measured.IsRecorded);
        Assert.StartsWith(RecordingLabel.Marker, measured.Source);
        Assert.Contains("two-hosts cannot run here: needs CAP_SYS_ADMIN (test)", measured.Source);
        Assert.Equal("10.12.0.2", measured.Result.Server.Address);
    }

    [ExperimentFact("accept-queue-somaxconn")]
    public void Measured_says_where_a_live_experiment_ran()
    {
        var measured = Measured.LiveOr(() => Exp.AcceptQueue(backlog: 4, clients: 6, somaxconn: 2), "experiments/accept-queue-somaxconn.json");
        Assert.False(measured.IsRecorded);
        var route = Exp.AcceptQueueUnderSomaxconn.Route;
        Assert.Equal(route.Kind == RouteKind.UserNamespaceChild, measured.Source.Contains("user namespace"));
    }

    internal static bool HasCapability(int bit)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return (Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16) & (1UL << bit)) != 0;
    }
}

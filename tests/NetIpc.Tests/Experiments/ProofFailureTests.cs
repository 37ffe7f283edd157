using NetIpc.Commands;
using NetIpc.Harness;
using NetIpc.Packets;
using NetIpc.Proc;

namespace NetIpc.Tests.Experiments;

/// <summary>A claim the kernel does not bear out, or a state it never reaches, stops the experiment with the reason.</summary>
public class ProofFailureTests
{
    [Fact]
    public void Receive_path_without_a_syn_ack_throws_naming_that_claim_and_what_was_captured()
    {
        var recorded = SkBuffProofs.RecordedReceivePath();
        var withoutSynAck = recorded.Frames.Where(f => f.Tcp?.Flags != (TcpFlags.Syn | TcpFlags.Ack)).ToList();
        Assert.Equal(recorded.Frames.Count - 1, withoutSynAck.Count);

        var error = Assert.Throws<ProofFailedException>(() => SkBuffProofs.ProveReceivePath(
            withoutSynAck, recorded.ServerPort, recorded.ClientPort, recorded.UdpPort, recorded.BytesSent));

        Assert.Contains("✗ the server answers SYN-ACK, acknowledging the SYN's sequence number + 1 — seen: no SYN-ACK captured", error.Message);
        Assert.Contains(error.Failed, c => c.Claim.StartsWith("the SYN and SYN-ACK announce MSS", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failed, c => c.Claim.StartsWith("the first segment is a SYN", StringComparison.Ordinal));
    }

    [Fact]
    public void Receive_path_missing_the_data_segment_says_no_data_was_captured()
    {
        var recorded = SkBuffProofs.RecordedReceivePath();
        var withoutData = recorded.Frames.Where(f => f.Tcp is null || f.PayloadLength == 0).ToList();

        var error = Assert.Throws<ProofFailedException>(() => SkBuffProofs.ProveReceivePath(
            withoutData, recorded.ServerPort, recorded.ClientPort, recorded.UdpPort, recorded.BytesSent));

        var failed = Assert.Single(error.Failed);
        Assert.Equal("no data segment from the client captured", failed.Evidence);
    }

    [Fact]
    public void A_check_list_with_one_false_claim_throws_naming_only_that_claim_and_its_evidence()
    {
        ProofCheck[] checks =
        [
            new("the message crossed from one stack to the other", true, "the client read \"hello back\""),
            new("this process's own namespace sees neither", false, "2 lines with a 10.12.0.x address in /proc/self/net/tcp"),
        ];

        var error = Assert.Throws<ProofFailedException>(() => checks.RequireAll());

        Assert.Equal(checks[1], Assert.Single(error.Failed));
        Assert.Equal("the kernel disagrees: ✗ this process's own namespace sees neither — seen: 2 lines with a 10.12.0.x address in /proc/self/net/tcp",
            error.Message);
        var holding = checks[..1];
        Assert.Same(holding, holding.RequireAll());
    }

    [Fact]
    public void Proc_and_ss_disagreeing_on_a_socket_throws_naming_the_socket()
    {
        var table = SocketTable.Tcp(Recordings.Proc("edge-cases"));
        var ss = SsTable.Parse(Recordings.ReadText("proc/edge-cases/ss-tanp"));
        var missing = ss.First(r => r.State == "LISTEN");
        var comparison = SsComparison.Compare(table, new SsTable(ss.Where(r => r != missing).ToList()), table, compareOwners: false);

        var error = Assert.Throws<ProofFailedException>(() => comparison.RequireAgreement());

        var failed = Assert.Single(error.Failed);
        Assert.Contains($"LISTEN {missing.Local}", failed.Claim);
        Assert.Equal("in /proc: yes, in ss: no, same process and fd: no", failed.Evidence);
    }

    [Fact]
    public void A_state_that_never_comes_throws_a_timeout_naming_it_and_what_was_seen()
    {
        var error = Assert.Throws<TimeoutException>(() =>
            Poll.Until(TimeSpan.FromMilliseconds(50), "the client in TIME-WAIT", () => false, seen: () => "client FIN-WAIT-2"));

        Assert.Equal("gave up waiting 0.05 s for the client in TIME-WAIT; last seen: client FIN-WAIT-2", error.Message);
    }
}

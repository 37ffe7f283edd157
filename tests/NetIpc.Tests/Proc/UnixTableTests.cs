using NetIpc.Proc;

namespace NetIpc.Tests.Proc;

/// <summary>data/proc/*/unix ↔ UnixTable.cs.</summary>
public class UnixTableTests
{
    private static readonly UnixTable EdgeCases = UnixTable.Parse(Recordings.ReadText("proc/edge-cases/unix"), "unix");

    [Fact]
    public void Path_with_a_space_is_kept_whole()
    {
        var listener = Assert.Single(EdgeCases, e => e.Path?.EndsWith("seed server.sock") == true && e.IsListening);
        Assert.Equal("/tmp/netipc-capture/seed server.sock", listener.Path);
        Assert.Equal(UnixSocketType.Stream, listener.Type);
        Assert.Equal(UnixSocketState.Unconnected, listener.State);
    }

    [Fact]
    public void Accepted_connection_inherits_the_listener_path()
    {
        var accepted = Assert.Single(EdgeCases, e => e.Path?.EndsWith("seed server.sock") == true && !e.IsListening);
        Assert.Equal(UnixSocketState.Connected, accepted.State);
    }

    [Fact]
    public void Abstract_name_prints_each_nul_as_at()
    {
        var entry = Assert.Single(EdgeCases, e => e.IsAbstract);
        Assert.Equal("@netipc@demo", entry.Path);
        Assert.True(entry.IsListening);
    }

    [Fact]
    public void Types_and_listening_flags()
    {
        Assert.Single(EdgeCases, e => e.Type == UnixSocketType.Dgram);
        var seqpacket = Assert.Single(EdgeCases, e => e.Type == UnixSocketType.SeqPacket);
        Assert.True(seqpacket.IsListening);
        Assert.Equal(3, EdgeCases.Count(e => e.IsListening));
    }

    [Fact]
    public void Unbound_sockets_have_no_path()
    {
        // The socketpair's two ends and the client that connected without binding.
        Assert.Equal(3, EdgeCases.Count(e => e.Path is null));
        Assert.All(EdgeCases.Where(e => e.Path is null), e => Assert.Equal(UnixSocketState.Connected, e.State));
    }

    [Fact]
    public void Bad_type_names_the_field()
    {
        string text = "Num       RefCount Protocol Flags    Type St Inode Path\n000000009730ebd1: 00000003 00000000 00000000 0009 03  7359\n";
        var error = Assert.Throws<ProcFormatException>(() => UnixTable.Parse(text, "unix"));
        Assert.Equal((2, "Type"), (error.Line, error.Field));
    }
}

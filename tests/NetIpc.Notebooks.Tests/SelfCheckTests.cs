using NetIpc.Notebooks;

namespace NetIpc.Notebooks.Tests;

/// <summary>A checker must pass the kernel's answer and fail any other, with a hint: the truth is worked out independently here.</summary>
public class SelfCheckTests
{
    [Fact]
    public void Equal_and_close_pass_the_right_answer_and_stop_on_a_wrong_one_with_the_hint()
    {
        Assert.StartsWith("✓", SelfCheck.Equal("x", 3, 3, "hint"));
        var wrong = Assert.Throws<SelfCheckFailedException>(() => SelfCheck.Equal("x", 4, 3, "count again"));
        Assert.Equal("✗ x: your answer is 4, the kernel says 3. Hint: count again", wrong.Message);
        Assert.StartsWith("✓", SelfCheck.Close("m", 10.0005, 10, 0.001, "h"));
        Assert.Throws<SelfCheckFailedException>(() => SelfCheck.Close("m", 10.01, 10, 0.001, "h"));
        Assert.Throws<SelfCheckFailedException>(() => SelfCheck.Close("m", double.NaN, 10, 0.001, "h"));
    }

    [Fact]
    public void Htons_is_checked_against_the_bytes_in_network_order()
    {
        // 9501 = 0x251D travels as the bytes 25 1D; read back in this host's order they are htons(9501).
        int swapped = BitConverter.ToUInt16([0x25, 0x1D]);
        Assert.StartsWith("✓", SelfCheck.Htons(9501, swapped));
        Assert.Throws<SelfCheckFailedException>(() => SelfCheck.Htons(9501, swapped == 9501 ? 0x1D25 : 9501));
    }

    [LinuxFact]
    public void The_socket_checks_take_their_truth_from_the_kernel()
    {
        Assert.StartsWith("✓", SelfCheck.ReadAfterPeerClosed(0));
        Assert.Throws<SelfCheckFailedException>(() => SelfCheck.ReadAfterPeerClosed(-1));
        Assert.StartsWith("✓", SelfCheck.ConnectRefusedErrno(111)); // ECONNREFUSED, errno(3)
        Assert.Throws<SelfCheckFailedException>(() => SelfCheck.ConnectRefusedErrno(98));
        Assert.StartsWith("✓", SelfCheck.AddressInUseErrno(98));
        Assert.StartsWith("✓", SelfCheck.NonBlockingReadErrno(11));
        Assert.Throws<SelfCheckFailedException>(() => SelfCheck.NonBlockingReadErrno(0));
    }

    [Fact]
    public void The_skbuff_check_follows_the_four_calls()
    {
        // alloc(200), reserve(64), put(100), push(20), pull(8): data at 64 − 20 + 8 = 52, len 100 + 20 − 8 = 112.
        Assert.Contains("✓", SelfCheck.SkBuffAfterFourCalls(52, 112));
        Assert.Throws<SelfCheckFailedException>(() => SelfCheck.SkBuffAfterFourCalls(64, 112));
    }
}

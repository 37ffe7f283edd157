using NetIpc.Sockets;
using NetIpc.Tcp;

namespace NetIpc.Tests.Experiments;

/// <summary>The SYN queue's rules as the kernel writes them, and the TCP_INFO fields read beside them.</summary>
public class RequestSockQueueTests
{
    [Theory]
    [InlineData(4, true, 5)]
    [InlineData(4, false, 4)]
    [InlineData(0, true, 1)]
    [InlineData(0, false, 0)] // the old test refused every SYN at backlog 0 without cookies
    public void Capacity_follows_the_comparison(int backlog, bool strict, int capacity)
    {
        Assert.Equal(capacity, RequestSockQueue.Capacity(backlog, strict));
        Assert.True(RequestSockQueue.IsFull(capacity, backlog, strict));
        if (capacity > 0)
        {
            Assert.False(RequestSockQueue.IsFull(capacity - 1, backlog, strict));
        }
    }

    [Fact]
    public void A_small_queue_keeps_tcp_synack_retries()
    {
        // 4 requests: 4 << 1 = 8 is not more than max(8, backlog), so the limit is left alone.
        Assert.Equal(5, RequestSockQueue.SynAckRetryLimit(queueLength: 4, young: 0, maxAckBacklog: 4, synackRetries: 5));
    }

    [Fact]
    public void A_queue_of_old_requests_more_than_half_full_is_cut_to_two()
    {
        Assert.Equal(2, RequestSockQueue.SynAckRetryLimit(queueLength: 5, young: 0, maxAckBacklog: 4, synackRetries: 5));
    }

    [Fact]
    public void Young_requests_protect_the_limit()
    {
        // qlen 5 < young 3 << 1 = 6: the loop stops at once.
        Assert.Equal(5, RequestSockQueue.SynAckRetryLimit(queueLength: 5, young: 3, maxAckBacklog: 4, synackRetries: 5));
        // young 2: 5 >= 4 → 4 retries, then 5 < 8 stops.
        Assert.Equal(4, RequestSockQueue.SynAckRetryLimit(queueLength: 5, young: 2, maxAckBacklog: 4, synackRetries: 5));
    }

    [Fact]
    public void A_limit_below_two_is_never_raised()
    {
        Assert.Equal(1, RequestSockQueue.SynAckRetryLimit(queueLength: 50, young: 0, maxAckBacklog: 4, synackRetries: 1));
    }

    [Theory]
    [InlineData(2, 7)]
    [InlineData(5, 63)] // the default tcp_synack_retries: "about a minute"
    public void Requests_expire_one_doubled_timeout_after_the_last_resend(int limit, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RequestSockQueue.ExpiresAfter(limit));
    }

    [Fact]
    public void Tcp_info_fields_are_read_at_their_offsets()
    {
        var bytes = new byte[TcpInfo.MinimumLength];
        BitConverter.TryWriteBytes(bytes.AsSpan(100), 7u);
        BitConverter.TryWriteBytes(bytes.AsSpan(136), 11u);
        BitConverter.TryWriteBytes(bytes.AsSpan(144), 4096u);
        BitConverter.TryWriteBytes(bytes.AsSpan(156), 3u);
        Assert.Equal(new TcpInfo(SegmentsOut: 11, NotSentBytes: 4096, DataSegmentsOut: 3, TotalRetransmits: 7), TcpInfo.Parse(bytes));
    }

    [Fact]
    public void A_short_tcp_info_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TcpInfo.Parse(new byte[104]));
    }

    [LinuxFact]
    public void Tcp_info_counts_the_data_segments_of_a_live_socket()
    {
        var result = NetIpc.Experiments.Boundaries();
        Assert.InRange(result.TcpDataSegments, 1, 3);
    }
}

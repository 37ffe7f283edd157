using System.Text.Json;
using System.Text.RegularExpressions;
using NetIpc.Packets;

namespace NetIpc.Notebooks.Tests;

/// <summary>
/// Sentences of chapters 00–06 that were once wrong stay corrected, and the numbers the prose still spells
/// out are the ones the library computes.
/// </summary>
public class EarlyChaptersProseTests
{
    private static string Prose(string chapter)
    {
        string folder = Path.Combine(Recordings.CourseRoot, "notebooks");
        string file = Directory.GetFiles(folder, chapter + "-*.ipynb").Single();
        using var notebook = JsonDocument.Parse(File.ReadAllText(file));
        var markdown = notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "markdown")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())));
        // One line: a sentence may wrap anywhere.
        return Regex.Replace(string.Join("\n", markdown), @"\s+", " ");
    }

    [Theory]
    [InlineData("01", "sent-but-unacknowledged")]                         // tx_queue counts unsent bytes too
    [InlineData("01", "listen()` with a backlog of 5")]                   // the seed shows no listen() call
    [InlineData("01", "`struct socket`, which holds the socket's receive and send queues")]
    [InlineData("04", "65536 − 40 = 65495")]                              // 65536 − 40 is 65496
    [InlineData("04", "数据 data")]                                        // the seed names the layers in English
    [InlineData("04", "the gap grows with every layer and with the packet size")] // one size, three layers measured
    [InlineData("04", "does what the kernel's UDP send path does")]        // the kernel's UDP path puts, it does not push
    [InlineData("05", "socket() → bind() → listen() → accept() …… connect()")] // not a line of the seed
    [InlineData("05", "Short states (SYN_SENT, LAST_ACK) last microseconds on loopback and fall between two samples.")]
    [InlineData("06", "no option \"fixes\" it for two unrelated programs")] // SO_REUSEPORT does, for the same user
    [InlineData("03", "the kernel prints five more without names")]      // get_tcp4_sock prints seven
    [InlineData("03", "`drops` counts the datagrams that found the buffer full")] // checksum and filter drops count too
    [InlineData("04", "Chapter 01 ended on")]                             // chapter 03 ends on the sk_buff queues
    [InlineData("04", "The kernel does not grow an sk_buff behind your back")] // ip_finish_output2 → skb_expand_head
    [InlineData("05", "One of the seed's C demos prints the listening fd")] // the demos are not in the post
    [InlineData("05", "The first half holds; the table above contradicts the second")] // both halves hold, read literally
    [InlineData("05", "(`type & SOCK_TYPE_MASK` in `__sys_socket`)")]     // __sys_socket_create masks it
    [InlineData("06", "(false only when the kernel picks a port for `connect()`)")] // connect() never reaches the check
    [InlineData("06", "set `SO_REUSEADDR` (as the seed's does)")]          // the seed sets SO_REUSEPORT
    public void A_corrected_sentence_does_not_come_back(string chapter, string wrong) =>
        Assert.DoesNotContain(wrong, Prose(chapter));

    [Fact]
    public void Chapter_04s_mss_arithmetic_is_the_kernels()
    {
        string prose = Prose("04");
        Assert.Contains($"65536 − 40 = {65536 - 40}", prose);
        Assert.Contains($"65535 − 40 = {TcpMss.Ipv4DefaultAdvMss(65536)}", prose);
        Assert.Contains($"134 bytes = 14 (Ethernet) + 60", prose);
        Assert.Equal(134, PacketBuilder.Headroom);
    }
}

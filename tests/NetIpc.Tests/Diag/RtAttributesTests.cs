using NetIpc.Diag;
using NetIpc.Proc;

namespace NetIpc.Tests.Diag;

public class RtAttributesTests
{
    private static string Name(ushort type) => type == 2 ? "INET_DIAG_INFO" : $"attribute {type}";

    /// <summary>rtattr headers as the kernel writes them (host order; this machine is little-endian).</summary>
    private static byte[] Attribute(ushort type, params byte[] data)
    {
        int length = 4 + data.Length;
        var bytes = new byte[(length + 3) & ~3];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 2), (ushort)length);
        BitConverter.TryWriteBytes(bytes.AsSpan(2, 2), type);
        data.CopyTo(bytes, 4);
        return bytes;
    }

    private static List<(ushort Type, string Name, byte[] Data)> Walk(byte[] bytes)
    {
        var seen = new List<(ushort, string, byte[])>();
        foreach (var a in new RtAttributes(bytes, "test", 7, "inet_diag_msg", Name))
        {
            seen.Add((a.Type, a.Name, a.Data.ToArray()));
        }
        return seen;
    }

    [Fact]
    public void Each_attribute_is_read_with_its_payload_and_the_next_starts_at_the_aligned_length()
    {
        // A 5-byte payload is padded to 8 (RTA_ALIGN): the next header starts 12 bytes in, not 9.
        byte[] bytes = [.. Attribute(2, 1, 2, 3, 4, 5), .. Attribute(9), .. Attribute(4, 0xAA, 0xBB)];
        var seen = Walk(bytes);
        Assert.Equal([(ushort)2, (ushort)9, (ushort)4], seen.Select(a => a.Type));
        Assert.Equal("INET_DIAG_INFO", seen[0].Name);
        Assert.Equal([1, 2, 3, 4, 5], seen[0].Data);
        Assert.Empty(seen[1].Data);
        Assert.Equal([0xAA, 0xBB], seen[2].Data);
    }

    [Fact]
    public void No_bytes_are_no_attributes() => Assert.Empty(Walk([]));

    [Fact]
    public void An_attribute_longer_than_the_bytes_left_is_an_error_naming_it_and_the_counts()
    {
        byte[] bytes = Attribute(2, 1, 2, 3, 4, 5, 6, 7, 8)[..8]; // rta_len says 12, the message ends after 8
        var e = Assert.Throws<ProcFormatException>(() => Walk(bytes));
        Assert.Equal("INET_DIAG_INFO", e.Field);
        Assert.Contains("message 7 (inet_diag_msg)", e.Message);
        Assert.Contains("rta_len 12, but 8 bytes remain", e.Message);
    }

    [Fact]
    public void A_length_shorter_than_the_header_is_an_error_not_an_endless_loop()
    {
        byte[] bytes = Attribute(3, 1, 2, 3, 4);
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 2), (ushort)0);
        var e = Assert.Throws<ProcFormatException>(() => Walk(bytes));
        Assert.Contains("rta_len 0", e.Message);
    }

    [Fact]
    public void Bytes_left_over_too_few_for_a_header_are_an_error()
    {
        byte[] bytes = [.. Attribute(2, 1, 2, 3, 4), 0, 0];
        var e = Assert.Throws<ProcFormatException>(() => Walk(bytes));
        Assert.Equal("rtattr", e.Field);
        Assert.Contains("2 bytes left over, an attribute header needs 4", e.Message);
    }
}

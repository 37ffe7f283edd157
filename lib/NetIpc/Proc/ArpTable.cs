using System.Net;

namespace NetIpc.Proc;

/// <summary>One line of /proc/net/arp: a neighbour this namespace has learned (or been told) the link address of.</summary>
public sealed record ArpEntry(IPAddress Address, int HardwareType, int Flags, string HardwareAddress, string Device)
{
    /// <summary>ATF_COM: the entry is complete (the neighbour answered).</summary>
    public bool IsComplete => (Flags & 0x2) != 0;
}

/// <summary>
/// The parsed /proc/net/arp: "IP address  HW type  Flags  HW address  Mask  Device", one neighbour per line,
/// columns separated by runs of spaces (the kernel pads them with %-*s).
/// </summary>
public sealed class ArpTable : ProcTable<ArpEntry>
{
    public ArpTable(IReadOnlyList<ArpEntry> entries) : base(entries)
    {
    }

    public static ArpTable Parse(string text, string file = "/proc/net/arp")
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<ArpEntry>();
        ForEachDataLine(text.AsSpan(), file, "HW address", (line, number) =>
        {
            var reader = new FieldReader(line, file, number);
            var addressText = reader.Next("IP address");
            if (!IPAddress.TryParse(addressText, out var address))
            {
                throw reader.Error("IP address", $"'{addressText}' is not an address");
            }
            int type = PrefixedHex(ref reader, "HW type");
            int flags = PrefixedHex(ref reader, "Flags");
            string hardware = reader.Next("HW address").ToString();
            reader.Next("Mask");
            string device = reader.Next("Device").ToString();
            entries.Add(new ArpEntry(address, type, flags, hardware, device));
        });
        return new ArpTable(entries);
    }

    // The kernel prints these two with "0x%x".
    private static int PrefixedHex(ref FieldReader reader, string field)
    {
        var text = reader.Next(field);
        if (!text.StartsWith("0x", StringComparison.Ordinal))
        {
            throw reader.Error(field, $"expected 0x and hex digits, got '{text}'");
        }
        return (int)reader.ParseHex(text[2..], field, 8);
    }
}

using System.Text.RegularExpressions;
using NetIpc.Proc;

namespace NetIpc.Commands;

/// <summary>One line of <c>ss -tanp</c> output.</summary>
public sealed record SsRow(string State, ulong RecvQ, ulong SendQ, string Local, string Peer, IReadOnlyList<SocketOwner> Owners);

/// <summary>
/// iproute2's <c>ss</c>, run as a process and read back, so a chapter can put the course's own
/// table next to the tool a reader would reach for. ss asks the kernel over netlink (sock_diag),
/// a different path from the /proc text files, which makes it an independent check.
/// </summary>
public sealed partial class SsTable : System.Collections.ObjectModel.ReadOnlyCollection<SsRow> // ss's output, not a /proc file
{
    public SsTable(IReadOnlyList<SsRow> rows) : base([.. rows])
    {
    }

    /// <summary>Runs <c>ss -tanpH</c> (no header) and parses it. Null when ss is not installed.</summary>
    public static SsTable? RunTcp(TimeSpan? timeout = null) => Run("-tanpH", timeout);

    public static SsTable? Run(string arguments, TimeSpan? timeout = null)
    {
        CommandResult result;
        try
        {
            result = ExternalCommand.Run("ss", arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), timeout ?? TimeSpan.FromSeconds(10));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        return Parse(result.EnsureSuccess());
    }

    /// <summary>Parses ss's columns: State Recv-Q Send-Q Local Peer [Process]. A header line, if present, is skipped.</summary>
    public static SsTable Parse(string text)
    {
        var rows = new List<SsRow>();
        int number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 0 || parts[0] == "State" || parts[0] == "Netid")
            {
                continue;
            }
            if (parts.Length < 5 || !ulong.TryParse(parts[1], out ulong recv) || !ulong.TryParse(parts[2], out ulong send))
            {
                throw new ProcFormatException("ss output", number, "State Recv-Q Send-Q Local Peer", $"not an ss line: '{line}'");
            }
            var owners = parts.Length == 6
                ? Owner().Matches(parts[5]).Select(m => new SocketOwner(int.Parse(m.Groups[2].Value), m.Groups[1].Value, int.Parse(m.Groups[3].Value))).ToList()
                : [];
            rows.Add(new SsRow(parts[0], recv, send, parts[3], parts[4], owners));
        }
        return new SsTable(rows);
    }

    [GeneratedRegex("""\("([^"]*)",pid=(\d+),fd=(\d+)\)""")]
    private static partial Regex Owner();
}

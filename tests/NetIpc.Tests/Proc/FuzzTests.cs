using CsCheck;
using NetIpc.Proc;

namespace NetIpc.Tests.Proc;

/// <summary>
/// Mutated lines of every captured table: each must either parse or fail with ProcFormatException
/// naming the mutated line and a field. Any other exception is a parser bug.
/// </summary>
public class FuzzTests
{
    private sealed record Table(string Name, string Header, string[] Lines, Func<string, object> Parse, Func<byte[], object> ParseBytes);

    private static readonly Table[] Tables = Load();

    private static Table[] Load()
    {
        Table From(string path, Func<string, object> parse, Func<byte[], object> parseBytes)
        {
            var lines = Recordings.ReadText($"proc/{path}").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return new Table(path, lines[0], lines[1..], parse, parseBytes);
        }
        return
        [
            From("edge-cases/tcp", t => TcpTable.Parse(t, "tcp").ToList(), b => TcpTable.Parse(b, "tcp").ToList()),
            From("edge-cases/tcp6", t => TcpTable.Parse(t, "tcp6").ToList(), b => TcpTable.Parse(b, "tcp6").ToList()),
            From("edge-cases/udp", t => UdpTable.Parse(t, "udp").ToList(), b => UdpTable.Parse(b, "udp").ToList()),
            From("edge-cases/udp6", t => UdpTable.Parse(t, "udp6").ToList(), b => UdpTable.Parse(b, "udp6").ToList()),
            From("edge-cases/unix", t => UnixTable.Parse(t, "unix").ToList(), b => UnixTable.Parse(b, "unix").ToList()),
            From("seed-server/tcp", t => TcpTable.Parse(t, "tcp").ToList(), b => TcpTable.Parse(b, "tcp").ToList()),
        ];
    }

    private const string Alphabet = "0123456789ABCDEFabcdef: x-@\t\0.é";

    private static readonly Gen<string> Mutation =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 1000], Gen.Char[Alphabet], (kind, at, c) => $"{kind}|{at}|{c}");

    private static string Mutate(string line, int kind, int at, char c)
    {
        int i = at % (line.Length + 1);
        return kind switch
        {
            0 => i < line.Length ? line[..i] + c + line[(i + 1)..] : line + c,   // replace a character
            1 => line.Insert(i, c.ToString()),                                       // insert one
            2 => i < line.Length ? line.Remove(i, 1) : line,                         // delete one
            3 => line[..i],                                                          // cut the line short
            4 => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where((_, k) => k != at % 12)), // drop a field
            _ => line.Insert(i, new string(c, 1 + at % 20)),                         // a run of one character
        };
    }

    [Fact]
    public void Hundred_thousand_mutated_lines_parse_or_fail_with_the_documented_exception()
    {
        var gen = Gen.Select(Gen.Int[0, Tables.Length - 1], Gen.Int[0, 100], Gen.Int[1, 3].SelectMany(n => Mutation.Array[n]),
            (t, l, mutations) => (t, l, mutations));
        int parsed = 0, rejected = 0;
        gen.Sample(input =>
        {
            var table = Tables[input.t];
            string line = table.Lines[input.l % table.Lines.Length];
            foreach (var m in input.mutations)
            {
                var parts = m.Split('|', 3);
                line = Mutate(line, int.Parse(parts[0]), int.Parse(parts[1]), parts[2][0]);
            }
            string text = table.Header + "\n" + line + "\n";
            var fromText = Outcome(() => table.Parse(text));
            // The live readers parse raw bytes; they must agree with the string parser on every input.
            Assert.Equal(fromText, Outcome(() => table.ParseBytes(System.Text.Encoding.UTF8.GetBytes(text))));
            if (fromText is (int errorLine, string field, string _))
            {
                Assert.Equal(2, errorLine);
                Assert.False(string.IsNullOrEmpty(field));
                rejected++;
            }
            else
            {
                parsed++;
            }
        }, iter: 100_000, threads: 1);
        // Both outcomes must be common, or the mutations are not reaching the parser's checks.
        Assert.Equal(100_000, parsed + rejected);
        Assert.InRange(parsed, 5_000, 95_000);
    }

    /// <summary>The entries, or where the documented exception pointed; anything else escapes and fails the test.</summary>
    private static object Outcome(Func<object> parse)
    {
        try
        {
            return parse();
        }
        catch (ProcFormatException e)
        {
            return (e.Line, e.Field, e.Message);
        }
    }

    [Fact]
    public void Mutated_counter_values_parse_or_fail_with_the_documented_exception()
    {
        var lines = Recordings.ReadText("proc/edge-cases/snmp").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Gen.Select(Gen.Int[0, lines.Length / 2 - 1], Mutation, (pair, m) => (pair, m)).Sample(input =>
        {
            var parts = input.m.Split('|', 3);
            string values = Mutate(lines[2 * input.pair + 1], int.Parse(parts[0]), int.Parse(parts[1]), parts[2][0]);
            try
            {
                NetCounters.Parse(lines[2 * input.pair] + "\n" + values + "\n");
            }
            catch (ProcFormatException e)
            {
                Assert.Equal(2, e.Line);
            }
        }, iter: 20_000, threads: 1);
    }
}

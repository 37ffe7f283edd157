using System.Collections;

namespace NetIpc.Proc;

/// <summary>The parsed rows of one /proc table, in the kernel's order.</summary>
public abstract class ProcTable<TEntry> : IReadOnlyList<TEntry>
{
    private readonly IReadOnlyList<TEntry> entries;

    protected ProcTable(IReadOnlyList<TEntry> entries) => this.entries = entries;

    public TEntry this[int index] => entries[index];

    public int Count => entries.Count;

    public IEnumerator<TEntry> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Turns one data line, given its 1-based number in the file, into an entry.</summary>
    internal delegate TEntry EntryParser(ReadOnlySpan<char> line, int number);

    /// <summary>Every data line of <paramref name="text"/> parsed, after checking the header.</summary>
    internal static List<TEntry> ParseEntries(ReadOnlySpan<char> text, string file, string headerMustContain, EntryParser parse)
    {
        var entries = new List<TEntry>();
        ForEachDataLine(text, file, headerMustContain, (line, number) => entries.Add(parse(line, number)));
        return entries;
    }

    /// <summary>Every data line of the file's raw bytes parsed: the fast path of the live readers.</summary>
    internal static List<TEntry> ParseEntries(ReadOnlySpan<byte> utf8, string file, string headerMustContain, EntryParser parse)
    {
        var entries = new List<TEntry>(utf8.Length / 150); // an inet line is about 150 bytes
        ForEachDataLine(utf8, file, headerMustContain, (line, number) => entries.Add(parse(line, number)));
        return entries;
    }

    /// <summary>Each data line's text (trailing spaces trimmed) next to what it parses to.</summary>
    internal static IReadOnlyList<(string Text, TEntry Entry)> ParseEntriesWithText(string text, string file, string headerMustContain, EntryParser parse)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<(string, TEntry)>();
        ForEachDataLine(text.AsSpan(), file, headerMustContain, (line, number) => result.Add((line.ToString().TrimEnd(), parse(line, number))));
        return result;
    }

    /// <summary>Called once per data line with the line's text and its 1-based number in the file.</summary>
    internal delegate void LineParser(ReadOnlySpan<char> line, int number);

    /// <summary>
    /// Walks the data lines of a table and checks its header, without allocating per line. Line numbers
    /// count from 1 and include the header, so they match what an editor shows for the same text.
    /// </summary>
    internal static void ForEachDataLine(ReadOnlySpan<char> text, string file, string headerMustContain, LineParser parse)
    {
        int number = 0;
        bool sawHeader = false;
        while (!text.IsEmpty)
        {
            int end = text.IndexOf('\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            Visit(line, ++number, file, headerMustContain, ref sawHeader, parse);
        }
        CheckHeaderSeen(sawHeader, file);
    }

    /// <summary>
    /// The walk over the file's raw bytes, each line decoded into a reused buffer: reading a 20,000-socket
    /// table this way allocates nothing but the entries (a whole-file string would double the memory traffic).
    /// </summary>
    internal static void ForEachDataLine(ReadOnlySpan<byte> utf8, string file, string headerMustContain, LineParser parse)
    {
        int number = 0;
        bool sawHeader = false;
        char[] chars = System.Buffers.ArrayPool<char>.Shared.Rent(512);
        try
        {
            while (!utf8.IsEmpty)
            {
                int end = utf8.IndexOf((byte)'\n');
                var line = end < 0 ? utf8 : utf8[..end];
                utf8 = end < 0 ? [] : utf8[(end + 1)..];
                if (line.Length > chars.Length)
                {
                    System.Buffers.ArrayPool<char>.Shared.Return(chars);
                    chars = System.Buffers.ArrayPool<char>.Shared.Rent(line.Length);
                }
                int length = System.Text.Encoding.UTF8.GetChars(line, chars);
                Visit(chars.AsSpan(0, length), ++number, file, headerMustContain, ref sawHeader, parse);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(chars);
        }
        CheckHeaderSeen(sawHeader, file);
    }

    private static void Visit(ReadOnlySpan<char> line, int number, string file, string headerMustContain, ref bool sawHeader, LineParser parse)
    {
        if (line.Trim().IsEmpty)
        {
            return;
        }
        if (!sawHeader)
        {
            if (!line.Contains(headerMustContain, StringComparison.Ordinal))
            {
                throw new ProcFormatException(file, number, "header", $"expected a header line containing '{headerMustContain}', got '{Shorten(line.ToString())}'");
            }
            sawHeader = true;
            return;
        }
        parse(line, number);
    }

    private static void CheckHeaderSeen(bool sawHeader, string file)
    {
        if (!sawHeader)
        {
            throw new ProcFormatException(file, 1, "header", "the text is empty; the kernel always prints a header line");
        }
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}

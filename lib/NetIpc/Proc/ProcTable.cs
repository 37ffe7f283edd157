using System.Collections;
using Microsoft.Data.Analysis;

namespace NetIpc.Proc;

/// <summary>The parsed rows of one /proc table, in the kernel's order, with a DataFrame view for notebooks.</summary>
public abstract class ProcTable<TEntry> : IReadOnlyList<TEntry>
{
    private readonly IReadOnlyList<TEntry> entries;

    protected ProcTable(IReadOnlyList<TEntry> entries) => this.entries = entries;

    public TEntry this[int index] => entries[index];

    public int Count => entries.Count;

    public IEnumerator<TEntry> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public abstract DataFrame ToDataFrame();

    /// <summary>
    /// Yields the data lines of a table and checks its header. Line numbers count from 1 and include
    /// the header, so they match what an editor shows for the same text.
    /// </summary>
    internal static IEnumerable<(int Number, ReadOnlyMemory<char> Text)> DataLines(string text, string file, string headerMustContain)
    {
        ArgumentNullException.ThrowIfNull(text);
        int number = 0;
        bool sawHeader = false;
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            var raw = text.AsMemory(start, end - start);
            start = end + 1;
            number++;
            if (raw.Span.Trim().IsEmpty)
            {
                continue;
            }
            if (!sawHeader)
            {
                if (!raw.Span.Contains(headerMustContain, StringComparison.Ordinal))
                {
                    throw new ProcFormatException(file, number, "header", $"expected a header line containing '{headerMustContain}', got '{Shorten(raw.ToString())}'");
                }
                sawHeader = true;
                continue;
            }
            yield return (number, raw);
        }
        if (!sawHeader)
        {
            throw new ProcFormatException(file, 1, "header", "the text is empty; the kernel always prints a header line");
        }
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}

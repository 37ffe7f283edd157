using System.Globalization;

namespace NetIpc.Proc;

/// <summary>
/// Walks the space-separated columns of one /proc line without allocating, and turns every
/// malformed column into a <see cref="ProcFormatException"/> naming that column.
/// Hand-written because the tables are parsed on every sample of a live chart and a
/// general-purpose CSV reader would neither keep up nor report the kernel's column names.
/// </summary>
internal ref struct FieldReader
{
    private readonly ReadOnlySpan<char> line;
    private readonly string file;
    private readonly int lineNumber;
    private int position;

    public FieldReader(ReadOnlySpan<char> line, string file, int lineNumber)
    {
        this.line = line;
        this.file = file;
        this.lineNumber = lineNumber;
    }

    public readonly ProcFormatException Error(string field, string problem) => new(file, lineNumber, field, problem);

    public readonly bool AtEnd
    {
        get
        {
            int p = position;
            while (p < line.Length && line[p] == ' ') p++;
            return p >= line.Length;
        }
    }

    /// <summary>What follows the current position after exactly one separating space, spaces kept.</summary>
    public readonly ReadOnlySpan<char> RestAfterOneSpace =>
        position < line.Length && line[position] == ' ' ? line[(position + 1)..] : [];

    public ReadOnlySpan<char> Next(string field)
    {
        while (position < line.Length && line[position] == ' ') position++;
        int start = position;
        while (position < line.Length && line[position] != ' ') position++;
        if (start == position)
        {
            throw Error(field, "the line ends before this column");
        }
        return line[start..position];
    }

    public ulong NextHex(string field, int maxDigits) => ParseHex(Next(field), field, maxDigits);

    public ulong NextDecimal(string field) => ParseDecimal(Next(field), field);

    public long NextSignedDecimal(string field)
    {
        var text = Next(field);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw Error(field, $"expected a decimal number, got '{text}'");
        }
        return value;
    }

    /// <summary>Splits "A:B" and parses both halves as hex, e.g. tx_queue:rx_queue or tr:tm->when.</summary>
    public (ulong Left, ulong Right) NextHexPair(string field, int leftDigits, int rightDigits)
    {
        var text = Next(field);
        int colon = text.IndexOf(':');
        if (colon < 0)
        {
            throw Error(field, $"expected two hex numbers joined by ':', got '{text}'");
        }
        return (ParseHex(text[..colon], field, leftDigits), ParseHex(text[(colon + 1)..], field, rightDigits));
    }

    public readonly ulong ParseHex(ReadOnlySpan<char> text, string field, int maxDigits)
    {
        if (text.Length == 0 || text.Length > maxDigits
            || !ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            throw Error(field, $"expected up to {maxDigits} hex digits, got '{text}'");
        }
        return value;
    }

    public readonly ulong ParseDecimal(ReadOnlySpan<char> text, string field)
    {
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
        {
            throw Error(field, $"expected a non-negative decimal number, got '{text}'");
        }
        return value;
    }
}

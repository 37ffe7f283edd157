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
        bool negative = text[0] == '-';
        ulong magnitude = ParseDecimal(negative ? text[1..] : text, field);
        if (magnitude > (negative ? 1UL << 63 : long.MaxValue))
        {
            throw Error(field, $"'{text}' does not fit a signed 64-bit number");
        }
        return negative ? unchecked(-(long)magnitude) : (long)magnitude;
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

    // The digit loops below replace ulong.TryParse: with NumberStyles and a culture it costs ~70 ns a
    // field, which made a 20,000-socket table slower to parse than to read (see tests/NetIpc.Benchmarks).
    public readonly ulong ParseHex(ReadOnlySpan<char> text, string field, int maxDigits)
    {
        if (text.Length == 0 || text.Length > maxDigits || text.Length > 16)
        {
            throw Error(field, $"expected up to {maxDigits} hex digits, got '{text}'");
        }
        ulong value = 0;
        foreach (char c in text)
        {
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'F' => c - 'A' + 10,
                >= 'a' and <= 'f' => c - 'a' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw Error(field, $"expected up to {maxDigits} hex digits, got '{text}'");
            }
            value = (value << 4) | (uint)digit;
        }
        return value;
    }

    public readonly ulong ParseDecimal(ReadOnlySpan<char> text, string field)
    {
        if (text.Length == 0 || text.Length > 20)
        {
            throw Error(field, $"expected a non-negative decimal number, got '{text}'");
        }
        ulong value = 0;
        foreach (char c in text)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                throw Error(field, $"expected a non-negative decimal number, got '{text}'");
            }
            ulong next = unchecked(value * 10 + digit);
            if (value > ulong.MaxValue / 10 || next < value * 10)
            {
                throw Error(field, $"'{text}' does not fit 64 bits");
            }
            value = next;
        }
        return value;
    }
}

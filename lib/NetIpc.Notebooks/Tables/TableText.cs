using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace NetIpc.Notebooks.Tables;

/// <summary>
/// A table's text/plain form, beside the HTML table Microsoft.Data.Analysis draws: what jupyter console,
/// nbconvert's text exporters, a screen reader or a text diff of a notebook gets. Columns are aligned the way
/// pandas prints a frame: the row number first, numbers flush right, text flush left, two spaces between.
/// <para>
/// Written here, not taken from a library: DataFrame.ToString() pads every column to the width of the
/// longest header, so any longer value shifts the rest of its row; and Spectre.Console (used by a tool in
/// this repository) draws for a terminal, with box characters and lines wrapped at the console's width, and
/// would be one more assembly in every kernel. Aligning columns takes a dozen lines.
/// </para>
/// </summary>
public static class TableText
{
    /// <summary>
    /// The rows the HTML shows at first: Microsoft.Data.Analysis's formatter lists a frame of up to 25 rows
    /// whole, and a longer one a page of 25 at a time.
    /// </summary>
    public const int RowsShown = 25;

    private const string Gap = "  ";

    /// <summary>Adds text/plain to what a DataFrame is shown as; the HTML stays first, so front ends that draw HTML still do.</summary>
    public static void Register()
    {
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(Format(frame)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }

    public static string Format(DataFrame frame)
    {
        long shown = Math.Min(frame.Rows.Count, RowsShown);
        var columns = new List<(string[] Cells, bool Right)>
        {
            (["", .. Enumerable.Range(0, (int)shown).Select(i => i.ToString(CultureInfo.InvariantCulture))], true),
        };
        foreach (var column in frame.Columns)
        {
            var cells = new string[shown + 1];
            cells[0] = OneLine(column.Name);
            for (long row = 0; row < shown; row++) cells[row + 1] = Cell(column[row]);
            columns.Add((cells, IsNumber(column.DataType)));
        }

        var widths = columns.Select(c => c.Cells.Max(Width)).ToArray();
        var text = new StringBuilder();
        for (int line = 0; line <= shown; line++)
        {
            var row = new StringBuilder();
            for (int c = 0; c < columns.Count; c++)
            {
                string cell = columns[c].Cells[line];
                string pad = new(' ', widths[c] - Width(cell));
                row.Append(c == 0 ? "" : Gap).Append(columns[c].Right ? pad + cell : cell + pad);
            }
            text.Append(row.ToString().TrimEnd()).Append('\n');
        }
        if (frame.Rows.Count == 0) text.Append("(no rows)\n");
        else if (frame.Rows.Count > shown) text.Append(CultureInfo.InvariantCulture, $"({shown} of {frame.Rows.Count} rows shown)\n");
        return text.ToString().TrimEnd('\n');
    }

    // As the HTML shows a value (it formats each cell with the same formatters; a missing one is "<null>"),
    // on one line: the HTML table folds a line break into a space too.
    private static string Cell(object? value) => OneLine(value.ToDisplayString(PlainTextFormatter.MimeType));

    private static string OneLine(string text) =>
        text.ReplaceLineEndings(" ").Replace('\t', ' ');

    // Text elements, not chars, so a character outside the BMP or with a combining mark counts once.
    private static int Width(string text) => new StringInfo(text).LengthInTextElements;

    private static bool IsNumber(Type type) => Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) is
        TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or
        TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal;
}

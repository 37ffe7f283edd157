using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using NetIpc.Notebooks.Tables;
using NetIpc.Proc;

namespace NetIpc.Notebooks.Tests;

public class TableTextTests
{
    private static DataFrame Frame(int rows) => new(
        new StringDataFrameColumn("state", Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "LISTEN" : "ESTABLISHED")),
        new PrimitiveDataFrameColumn<int>("rx_queue", Enumerable.Range(0, rows).Select(i => i * 111)),
        new StringDataFrameColumn("a long header", Enumerable.Range(0, rows).Select(i => $"line\nbreak {i}")));

    [Fact]
    public void Columns_are_aligned_numbers_flush_right_and_text_flush_left_on_one_line_each()
    {
        Assert.Equal(
            """
               state        rx_queue  a long header
            0  LISTEN              0  line break 0
            1  ESTABLISHED       111  line break 1
            2  LISTEN            222  line break 2
            """.ReplaceLineEndings("\n"),
            TableText.Format(Frame(3)));
    }

    [Fact]
    public void A_real_tables_cells_each_start_where_their_header_starts()
    {
        var frame = ColumnGuide.Tcp("   0: 0100007F:251D 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 3387679 1 0000000000000000 100 0 0 10 0");
        var lines = TableText.Format(frame).Split('\n');
        Assert.Equal(frame.Rows.Count + 1, lines.Length);
        int offset = 0;
        foreach (var column in frame.Columns)
        {
            offset = lines[0].IndexOf(column.Name, offset, StringComparison.Ordinal);
            Assert.True(offset > 0, $"no header {column.Name} in {lines[0]}");
            for (int row = 0; row < frame.Rows.Count; row++)
            {
                string cell = column[row]?.ToString() ?? "<null>";
                Assert.True(lines[row + 1].Length >= offset + cell.Length && lines[row + 1].Substring(offset, cell.Length) == cell,
                    $"row {row}, column {column.Name}: \"{cell}\" not at offset {offset} of\n{lines[row + 1]}");
                if (offset > 0) Assert.Equal(' ', lines[row + 1][offset - 1]);
            }
            offset += column.Name.Length;
        }
    }

    [Fact]
    public void A_long_table_shows_the_rows_the_html_shows_first_and_says_how_many_there_are()
    {
        var lines = TableText.Format(Frame(TableText.RowsShown + 5)).Split('\n');
        Assert.Equal(1 + TableText.RowsShown + 1, lines.Length);
        Assert.StartsWith("24  LISTEN", lines[^2]);
        Assert.Equal("(25 of 30 rows shown)", lines[^1]);
    }

    [Fact]
    public void An_empty_table_keeps_its_header_and_says_so() =>
        Assert.Equal("  state  rx_queue  a long header\n(no rows)", TableText.Format(Frame(0)));

    /// <summary>The HTML itself comes from Microsoft.Data.Analysis's kernel extension; CourseKernel.Tests sees both over the wire.</summary>
    [Fact]
    public void A_table_is_offered_as_html_first_and_as_text()
    {
        TableText.Register();
        Assert.Equal([HtmlFormatter.MimeType, PlainTextFormatter.MimeType], Formatter.GetPreferredMimeTypesFor(typeof(DataFrame)));
        Assert.Equal(TableText.Format(Frame(2)), Frame(2).ToDisplayString(PlainTextFormatter.MimeType));
    }
}

using Microsoft.Data.Analysis;

namespace NetIpc.Notebooks.Tables;

/// <summary><c>Recordings.MarkdownTable(path)</c>: a recorded Markdown table as a DataFrame of strings.</summary>
public static class RecordingTables
{
    extension(Recordings)
    {
        public static DataFrame MarkdownTable(string relativePath)
        {
            var rows = Recordings.ReadMarkdownTable(relativePath);
            // A row shorter than the header gets empty cells, as a Markdown renderer would show it.
            return new DataFrame(rows[0].Select((name, i) =>
                (DataFrameColumn)new StringDataFrameColumn(name, rows.Skip(1).Select(r => i < r.Length ? r[i] : ""))));
        }
    }
}

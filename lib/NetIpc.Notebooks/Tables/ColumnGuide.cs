using Microsoft.Data.Analysis;
using NetIpc.Proc;

namespace NetIpc.Notebooks.Tables;

/// <summary>
/// <c>ColumnGuide.Tcp(line)</c> and its siblings as tables. They extend the library's
/// <see cref="Proc.ColumnGuide"/> rather than shadow it, so a chapter that imports both namespaces
/// still writes the one name.
/// </summary>
public static class ColumnGuideTables
{
    extension(ColumnGuide)
    {
        public static DataFrame Tcp(string line) => ToDataFrame(ColumnGuide.TcpColumns(line));

        public static DataFrame Udp(string line) => ToDataFrame(ColumnGuide.UdpColumns(line));

        public static DataFrame Unix(string line) => ToDataFrame(ColumnGuide.UnixColumns(line));
    }

    public static DataFrame ToDataFrame(this IReadOnlyList<ProcColumn> columns) => new(
        new StringDataFrameColumn("column", columns.Select(c => c.Name)),
        new StringDataFrameColumn("as printed", columns.Select(c => c.Printed)),
        new StringDataFrameColumn("decoded", columns.Select(c => c.Decoded)),
        new StringDataFrameColumn("meaning", columns.Select(c => c.Meaning)));
}

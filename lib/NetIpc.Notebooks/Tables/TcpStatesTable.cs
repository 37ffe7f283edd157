using Microsoft.Data.Analysis;
using NetIpc.Proc;

namespace NetIpc.Notebooks.Tables;

/// <summary><c>TcpStates.Table()</c>: the library keeps the names and meanings, the table is drawn here.</summary>
public static class TcpStatesTable
{
    extension(TcpStates)
    {
        /// <summary>
        /// Every state: st as printed (hex), decimal, kernel name, ss name, the seed's spelling, meaning; then the
        /// two values of the enum that no table prints, with "—" for st.
        /// </summary>
        public static DataFrame Table()
        {
            var states = Enum.GetValues<KernelTcpState>();
            var unprinted = TcpStates.NeverPrinted;
            return new DataFrame(
                new StringDataFrameColumn("st", states.Select(s => ((int)s).ToString("X2")).Concat(unprinted.Select(_ => "—"))),
                new Int32DataFrameColumn("decimal", states.Select(s => (int)s).Concat(unprinted.Select(u => u.Number))),
                new StringDataFrameColumn("kernel name", states.Select(TcpStates.KernelName).Concat(unprinted.Select(u => u.KernelName))),
                new StringDataFrameColumn("ss shows", states.Select(SocketTable.SsStateName).Concat(unprinted.Select(u => u.SsShows))),
                new StringDataFrameColumn("seed writes", states.Select(s => TcpStates.SeedSpelling(s) == TcpStates.KernelName(s) ? "same" : $"{TcpStates.SeedSpelling(s)} (typo)")
                    .Concat(unprinted.Select(_ => "not listed"))),
                new StringDataFrameColumn("meaning", states.Select(TcpStates.Meaning).Concat(unprinted.Select(u => u.Meaning))));
        }
    }
}

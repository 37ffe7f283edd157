using Microsoft.Data.Analysis;
using NetIpc.Proc;

namespace NetIpc.Notebooks;

/// <summary><c>TcpStates.Table()</c>: the library keeps the names and meanings, the table is drawn here.</summary>
public static class TcpStatesTable
{
    extension(TcpStates)
    {
        /// <summary>Every state: st as printed (hex), decimal, kernel name, ss name, the seed's spelling, meaning.</summary>
        public static DataFrame Table()
        {
            var states = Enum.GetValues<KernelTcpState>();
            return new DataFrame(
                new StringDataFrameColumn("st", states.Select(s => ((int)s).ToString("X2"))),
                new Int32DataFrameColumn("decimal", states.Select(s => (int)s)),
                new StringDataFrameColumn("kernel name", states.Select(TcpStates.KernelName)),
                new StringDataFrameColumn("ss shows", states.Select(SocketTable.SsStateName)),
                new StringDataFrameColumn("seed writes", states.Select(s => TcpStates.SeedSpelling(s) == TcpStates.KernelName(s) ? "same" : $"{TcpStates.SeedSpelling(s)} (typo)")),
                new StringDataFrameColumn("meaning", states.Select(TcpStates.Meaning)));
        }
    }
}

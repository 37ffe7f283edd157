using Microsoft.Data.Analysis;
using NetIpc.Experiments;

namespace NetIpc.Notebooks;

/// <summary>Timings as tables: loopback round trips (chapter 00) and the throughput sweep (13).</summary>
public static class MeasurementTables
{
    public static DataFrame ToDataFrame(this LoopbackRoundTripResult result) => new(
        new Int32DataFrameColumn("message", result.Trips.Select(t => t.Message)),
        new DoubleDataFrameColumn("microseconds", result.Trips.Select(t => t.Microseconds)));

    public static DataFrame ToDataFrame(this ThroughputResult result) => new(
        new StringDataFrameColumn("transport", result.Points.Select(p => p.Transport)),
        new Int32DataFrameColumn("message bytes", result.Points.Select(p => p.MessageSize)),
        new DoubleDataFrameColumn("MB/s", result.Points.Select(p => Math.Round(p.MegabytesPerSecond, 1))),
        new DoubleDataFrameColumn("median round trip (µs)", result.Points.Select(p => Math.Round(p.MedianRoundTripMicroseconds, 1))),
        new Int64DataFrameColumn("messages lost", result.Points.Select(p => p.MessagesLost)));
}

using System.Net;
using Microsoft.Data.Analysis;

namespace NetIpc.Notebooks.Tables;

/// <summary>Chapter 02's tables: a port's spellings, a sockaddr byte by byte, addresses through inet_addr.</summary>
public static class ByteOrderTables
{
    extension(ByteOrder)
    {
        /// <summary>The <c>struct sockaddr_in</c> (or <c>sockaddr_in6</c>) .NET hands to <c>bind()</c>, one row per field.</summary>
        public static DataFrame Sockaddr(IPEndPoint endpoint)
        {
            var fields = ByteOrder.SockaddrFields(endpoint);
            return new DataFrame(
                new StringDataFrameColumn("field", fields.Select(f => f.Field)),
                new Int32DataFrameColumn("offset", fields.Select(f => f.Offset)),
                new StringDataFrameColumn("bytes in memory", fields.Select(f => f.BytesInMemory)));
        }

        public static DataFrame ShowAddresses(params string[] dotted)
        {
            var views = ByteOrder.AddressViews(dotted);
            return new DataFrame(
                new StringDataFrameColumn("address", views.Select(v => v.Address)),
                new StringDataFrameColumn("inet_addr() as a host integer", views.Select(v => v.HostInteger)),
                new StringDataFrameColumn("bytes in memory", views.Select(v => v.BytesInMemory)),
                new StringDataFrameColumn("inet_ntoa() back", views.Select(v => v.InetNtoaBack)));
        }
    }

    public static DataFrame ToDataFrame(this PortView view) => new(
        new StringDataFrameColumn("form", view.Rows.Select(r => r.Form)),
        new StringDataFrameColumn("value", view.Rows.Select(r => r.Value)));
}

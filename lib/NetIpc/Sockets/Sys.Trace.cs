using System.Net.Sockets;
using System.Text;
using NetIpc.Native;

namespace NetIpc.Sockets;

/// <summary>How a call fails (-1 and <see cref="errno"/>, as in C) and how it prints itself like strace.</summary>
public static partial class Sys
{
    /// <summary>Print each call as it is made (off by default).</summary>
    public static bool trace { get; set; }

    /// <summary>
    /// Where traced calls go; null (the default) means whatever Console.Out is at the time of the call —
    /// a notebook kernel swaps Console.Out for every cell, so it must not be captured once.
    /// </summary>
    public static TextWriter? TraceOutput { get; set; }

    private static int Call(string call, Action action)
    {
        try
        {
            action();
            Trace(call, 0);
            return 0;
        }
        catch (SocketException e)
        {
            return Fail(call, e);
        }
        catch (NotASocketException)
        {
            return Fail(call, EBADF);
        }
    }
    private static int Fail(string call, int error)
    {
        lastErrno = error;
        Trace(call, -1);
        return -1;
    }

    private static int Fail(string call, SocketException e)
    {
        // On Linux SocketException.NativeErrorCode is the errno the system call set.
        lastErrno = e.NativeErrorCode;
        Trace(call, -1);
        return -1;
    }

    private static void Trace(string call, int result)
    {
        if (trace)
        {
            (TraceOutput ?? Console.Out).WriteLine(result == -1 ? $"{call} = -1 {Errno.Describe(lastErrno)}" : $"{call} = {result}");
        }
    }

    private static string Printable(string path) => path.Replace("\0", "\\0", StringComparison.Ordinal);

    private static string Endpoint(string address, int port) => address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";

    private static string Quote(ReadOnlySpan<byte> bytes)
    {
        string text = Encoding.UTF8.GetString(bytes.Length > 32 ? bytes[..32] : bytes).Replace("\r", "\\r").Replace("\n", "\\n");
        return $"\"{text}\"{(bytes.Length > 32 ? "…" : "")}";
    }

    private static string Name(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => "AF_INET",
        AddressFamily.InterNetworkV6 => "AF_INET6",
        AddressFamily.Unix => "AF_UNIX",
        _ => family.ToString(),
    };

    private static string Name(SocketType type) => type switch
    {
        SocketType.Stream => "SOCK_STREAM",
        SocketType.Dgram => "SOCK_DGRAM",
        _ => type.ToString(),
    };

    private static string OptionName(int option) => option switch
    {
        SO_REUSEADDR => "SO_REUSEADDR",
        SO_REUSEPORT => "SO_REUSEPORT",
        SO_SNDBUF => "SO_SNDBUF",
        SO_RCVBUF => "SO_RCVBUF",
        _ => option.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

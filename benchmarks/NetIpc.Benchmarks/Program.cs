using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using NetIpc.Sockets;

namespace NetIpc.Benchmarks;

/// <summary>
/// Fills the TCP table, then runs the benchmarks. As root it first re-runs itself under
/// <c>unshare --net</c>, so the 20,000 sockets live in a network namespace of their own and the
/// host's table is untouched; the benchmark processes BenchmarkDotNet starts inherit that namespace.
/// </summary>
public static partial class Program
{
    /// <summary>20,000 lines in /proc/net/tcp, or NETIPC_BENCHMARK_SOCKETS of them (e.g. 100000; as root the descriptor limit is raised to fit).</summary>
    public static int MinimumSockets { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("NETIPC_BENCHMARK_SOCKETS"), out int n) && n > 0 ? n : 20_000;

    private static int Connections => MinimumSockets / 2 + 50;
    private const string InNamespace = "NETIPC_BENCHMARK_NAMESPACE";

    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "skbuff":
                BenchmarkRunner.Run<SkBuffBenchmarks>(args: args[1..]);
                return 0;
            case "tcp-table":
                return TcpTable(args[1..]);
            case "hold-connections":
                return HoldConnections(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            case "iperf3":
                // Longer rounds than chapter 13's live run (three of 1 s, recorded by tools/RecordRuns): a second look
                // at the same agreement with more time per round; it prints and records nothing.
                var tcp = NetIpc.Commands.Iperf3Run.Tcp(rounds: 5, seconds: 2);
                Console.WriteLine($"TCP: course {tcp.OursMedian:F2} GB/s, iperf3 {tcp.Iperf3Median:F2} GB/s, ratio {tcp.Ratio:F2}: {(tcp.WithinTwentyPercent ? "within" : "NOT within")} ±20%");
                var udp = NetIpc.Commands.Iperf3Run.Udp(rounds: 5, seconds: 2);
                Console.WriteLine($"UDP: course {udp.OursMedian:F2} GB/s received ({udp.OursLostMedian:F0}% lost), iperf3 {udp.Iperf3Median:F2} GB/s ({udp.Iperf3LostMedian:F0}% lost), ratio {udp.Ratio:F2}");
                // Only TCP must agree: an unthrottled UDP sender's received rate is set by how many datagrams
                // the receiver loses, which moves with scheduling far more than with the measuring code.
                return tcp.WithinTwentyPercent ? 0 : 1;
            default:
                Console.Error.WriteLine("usage: NetIpc.Benchmarks (tcp-table | skbuff | iperf3) [BenchmarkDotNet options]");
                return 2;
        }
    }

    private static int TcpTable(string[] args)
    {
        if (geteuid() == 0 && Environment.GetEnvironmentVariable(InNamespace) is null)
        {
            var self = new ProcessStartInfo("unshare", ["--net", "--", "dotnet", typeof(Program).Assembly.Location, "tcp-table", .. args]);
            self.Environment[InNamespace] = "1";
            using var child = Process.Start(self)!;
            child.WaitForExit();
            return child.ExitCode;
        }
        if (Environment.GetEnvironmentVariable(InNamespace) is not null)
        {
            Run("ip", "link set lo up");
            Console.WriteLine("running in a network namespace of its own");
        }
        else
        {
            Console.WriteLine("not root: running in this machine's namespace, alongside its own sockets");
        }
        // A connection costs one descriptor here. Beyond what this process may open (the hard limit, which only
        // CAP_SYS_RESOURCE raises), helper processes of this program hold the rest: the table is the namespace's,
        // whoever holds the descriptors.
        int own = Math.Min(Connections, Math.Max(1000, HardDescriptorLimit() - 1000));
        var helpers = new List<Process>();
        for (int left = Connections - own; left > 0; left -= own)
        {
            helpers.Add(StartHelper(Math.Min(own, left)));
        }
        RaiseDescriptorLimit(own + 1000);
        var sockets = Fill(own);
        try
        {
            Console.WriteLine($"/proc/self/net/tcp now has {File.ReadAllLines("/proc/self/net/tcp").Length - 1} lines ({helpers.Count} helper processes hold part of them)");
            BenchmarkRunner.Run<TcpTableBenchmarks>(args: args);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Abort(); // no TIME_WAIT left behind
            }
            foreach (var helper in helpers)
            {
                helper.StandardInput.Close(); // the helper's signal to close its own, the same way
                helper.WaitForExit();
            }
        }
        return 0;
    }

    /// <summary>A copy of this program, in this namespace, that opens <paramref name="connections"/> and says "ready".</summary>
    private static Process StartHelper(int connections)
    {
        var helper = Process.Start(new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "hold-connections", connections.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        string? line;
        while ((line = helper.StandardOutput.ReadLine()) is not null && line != "ready")
        {
        }
        if (line != "ready")
        {
            throw new InvalidOperationException($"a helper holding {connections} connections exited with {(helper.WaitForExit(5000) ? helper.ExitCode : -1)} before it was ready");
        }
        Console.WriteLine($"  a helper process holds {connections} connections");
        return helper;
    }

    /// <summary>The helper: opens the connections, says "ready", and closes them all when its standard input ends.</summary>
    private static int HoldConnections(int connections)
    {
        RaiseDescriptorLimit(connections + 1000);
        var sockets = Fill(connections, quiet: true);
        Console.WriteLine("ready");
        Console.Out.Flush();
        Console.In.ReadToEnd();
        foreach (var s in sockets)
        {
            s.Abort();
        }
        return 0;
    }

    private static int HardDescriptorLimit()
    {
        const int RlimitNofile = 7;
        return getrlimit(RlimitNofile, out var limit) != 0 ? 1024 : (int)Math.Min(limit.Maximum, int.MaxValue);
    }

    /// <summary>
    /// Each connection makes two lines (client and server end) but costs one descriptor: the server
    /// ends stay in the listeners' accept queues, unaccepted, with inode 0. Enough listeners share the
    /// load that no accept queue overflows (each holds min(backlog, somaxconn) + 1).
    /// </summary>
    private static List<Socket> Fill(int connections, bool quiet = false)
    {
        int perListener = Math.Min(4096, NetIpc.Proc.Sysctl.ReadRequiredInt("net.core.somaxconn"));
        var sockets = new List<Socket>(connections + 16);
        var listeners = new List<Socket>();
        for (int i = 0; i < connections; i++)
        {
            if (i % perListener == 0)
            {
                var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                listener.Listen(perListener);
                listeners.Add(listener);
                sockets.Add(listener);
            }
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listeners[^1].LocalEndPoint!);
            sockets.Add(client);
            if (!quiet && (i + 1) % 2000 == 0)
            {
                Console.WriteLine($"  {i + 1} of {connections} connections open");
            }
        }
        return sockets;
    }

    private static void Run(string file, string arguments)
    {
        using var p = Process.Start(file, arguments);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {p.ExitCode}");
        }
    }

    private static void RaiseDescriptorLimit(int wanted)
    {
        const int RlimitNofile = 7;
        if (getrlimit(RlimitNofile, out var limit) != 0)
        {
            throw new InvalidOperationException("getrlimit failed");
        }
        if (limit.Current >= (ulong)wanted)
        {
            return;
        }
        // The soft limit may rise to the hard one without privileges; root (CAP_SYS_RESOURCE) may raise the hard one too, up to fs.nr_open.
        ulong maximum = geteuid() == 0 ? Math.Max(limit.Maximum, (ulong)wanted) : limit.Maximum;
        var raised = new RLimit { Current = Math.Min((ulong)wanted, maximum), Maximum = maximum };
        if (setrlimit(RlimitNofile, in raised) != 0 || raised.Current < (ulong)wanted)
        {
            throw new InvalidOperationException($"cannot raise the open-file limit to {wanted} (now {limit.Current}, hard {limit.Maximum}): {Marshal.GetLastPInvokeError()}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit limit);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}

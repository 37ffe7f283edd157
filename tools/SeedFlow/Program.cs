using System.CommandLine;
using System.Text;
using NetIpc.Proc;
using Spectre.Console;
using static NetIpc.Sockets.Sys;

// The seed's flow between two machines: `serve` on one, `connect` on the other. Every socket call prints
// itself like strace (Sys's trace) and, at each step, this side's sockets on the port are listed the way
// `ss -tanp` lists them, from /proc/net/tcp — the same states the chapters show, on real machines.

var address = new Option<string>("--address") { Description = "serve: the local address to bind (0.0.0.0 = every address of this machine); connect: the server's address.", Required = true };
var port = new Option<int>("--port") { Description = "TCP port (the seed's is 9501).", DefaultValueFactory = _ => 9501 };
var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for a connection or a reply before giving up.", DefaultValueFactory = _ => 60 };
var once = new Option<bool>("--once") { Description = "serve: stop after one client." };
var message = new Option<string>("--message") { Description = "connect: what to send.", DefaultValueFactory = _ => "hello from the client" };

var serveCommand = new Command("serve", "socket → bind → listen → accept → read → write → close, as the seed's server.") { address, port, timeout, once };
var connectCommand = new Command("connect", "socket → connect → write → read → close, as the seed's client.") { address, port, timeout, message };
serveCommand.SetAction(parse => Flow.Serve(parse.GetValue(address)!, parse.GetValue(port), parse.GetValue(timeout), parse.GetValue(once)));
connectCommand.SetAction(parse => Flow.Connect(parse.GetValue(address)!, parse.GetValue(port), parse.GetValue(timeout), parse.GetValue(message)!));
var root = new RootCommand("The seed's client and server for two machines, each call traced and each side's socket table shown.") { serveCommand, connectCommand };
foreach (var seconds in new[] { port, timeout })
{
    seconds.Validators.Add(result =>
    {
        if (result.Tokens.LastOrDefault()?.Value is { } token && int.TryParse(token, out int value) && value <= 0)
            result.AddError($"{seconds.Name} must be positive.");
    });
}
return root.Parse(args).Invoke();

internal static class Flow
{
    public static int Serve(string address, int port, int timeoutSeconds, bool once)
    {
        trace = true;
        int fd = socket(address.Contains(':') ? AF_INET6 : AF_INET, SOCK_STREAM);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        if (bind(fd, address, port) == -1) return Fail($"cannot bind {address}:{port}: {strerror(errno)} — binding is to an address of this machine (or 0.0.0.0 for all of them)");
        if (listen(fd, 5) == -1) return Fail($"listen: {strerror(errno)}");
        Table(port, "listening");
        do
        {
            if (!Get(fd).Poll(TimeSpan.FromSeconds(timeoutSeconds), System.Net.Sockets.SelectMode.SelectRead))
            {
                close(fd);
                return Fail($"no client within {timeoutSeconds} s");
            }
            int connection = accept(fd);
            if (connection == -1) return Fail($"accept: {strerror(errno)}");
            Table(port, "after accept(): a second descriptor, one conversation");
            Get(connection).ReceiveTimeout = timeoutSeconds * 1000;
            var buffer = new byte[4096];
            int n = read(connection, buffer);
            if (n > 0)
            {
                Console.WriteLine($"received: {Encoding.UTF8.GetString(buffer, 0, n)}");
                write(connection, $"server got {n} bytes: {Encoding.UTF8.GetString(buffer, 0, n)}");
            }
            close(connection);
            Table(port, "after close() of the connection");
        }
        while (!once);
        close(fd);
        Settle(port);
        Table(port, "after close() of the listener");
        return 0;
    }

    public static int Connect(string address, int port, int timeoutSeconds, string message)
    {
        trace = true;
        int fd = socket(address.Contains(':') ? AF_INET6 : AF_INET, SOCK_STREAM);
        Get(fd).SendTimeout = Get(fd).ReceiveTimeout = timeoutSeconds * 1000;
        if (connect(fd, address, port) == -1) return Fail($"cannot connect to {address}:{port}: {strerror(errno)}");
        Table(port, "connected");
        write(fd, message);
        var buffer = new byte[4096];
        int n = read(fd, buffer);
        if (n == -1) return Fail($"no reply: {strerror(errno)}");
        Console.WriteLine($"reply: {Encoding.UTF8.GetString(buffer, 0, n)}");
        close(fd);
        Settle(port);
        Table(port, "after close()");
        return 0;
    }

    /// <summary>
    /// Waits (up to 2 s) while a connection on the port is still half-closed here, so the last table shows
    /// where the close ends — TIME-WAIT on the side that closed first — not a moment of it.
    /// </summary>
    private static void Settle(int port)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2)
            && ProcNet.Self.TcpAll().Any(e => (e.Local.Port == port || e.Remote.Port == port)
                && e.State is KernelTcpState.FinWait1 or KernelTcpState.FinWait2 or KernelTcpState.Closing or KernelTcpState.LastAck or KernelTcpState.CloseWait))
        {
            Thread.Sleep(10);
        }
    }

    /// <summary>This machine's sockets on the port, as <c>ss -tanp</c> shows them.</summary>
    private static void Table(int port, string when)
    {
        // Redirected output has no terminal width; wide enough that an address never wraps.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
        var table = new Table().Title($"sockets on port {port} here, {when}");
        foreach (var column in new[] { "State", "Recv-Q", "Send-Q", "Local", "Peer", "Process" }) table.AddColumn(column);
        foreach (var row in SocketTable.Tcp().Involving(port))
        {
            table.AddRow(row.State, row.RecvQ.ToString(), row.SendQ.ToString(), row.Local, row.Remote,
                Markup.Escape(row.Owners.Count == 0 ? "-" : string.Join(", ", row.Owners)));
        }
        AnsiConsole.Write(table);
    }

    private static int Fail(string why)
    {
        Console.Error.WriteLine(why);
        return 1;
    }
}

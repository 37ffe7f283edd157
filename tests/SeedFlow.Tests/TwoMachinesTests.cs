using System.Diagnostics;
using System.Text;

namespace SeedFlow.Tests;

/// <summary>
/// Two "machines" made of network namespaces joined by a veth pair (10.77.x.1 and 10.77.x.2): the server runs
/// in one with <c>ip netns exec</c>, the client in the other, each as its own process, as on two laptops.
/// </summary>
public sealed class TwoMachinesTests
{
    [NamespacesFact]
    public void A_server_on_one_machine_and_a_client_on_the_other_show_the_seeds_states()
    {
        using var machines = new TwoMachines();
        using var server = machines.Start(machines.ServerSide, "serve", "--address", machines.ServerAddress, "--port", "9501", "--once", "--timeout", "30");
        Assert.True(server.WaitForOutput("listen(", TimeSpan.FromSeconds(30)), server.Output);
        var client = machines.Run(machines.ClientSide, "connect", "--address", machines.ServerAddress, "--port", "9501", "--message", "hello over veth", "--timeout", "10");
        Assert.True(client.ExitCode == 0, client.Output);
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)), server.Output);
        Assert.Equal(0, server.ExitCode);

        // The client: its own end ESTABLISHED to the server's address, the reply, then its close.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(client.Output, $@"ESTAB\s*│\s*0\s*│\s*0\s*│\s*{machines.ClientAddress}:\d+\s*│\s*{machines.ServerAddress}:9501"), client.Output);
        Assert.Contains("reply: server got 15 bytes: hello over veth", client.Output);
        // The server: LISTEN on its address, then a second descriptor ESTABLISHED with the client's address.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(server.Output, $@"LISTEN\s*│\s*0\s*│\s*0\s*│\s*{machines.ServerAddress}:9501"), server.Output);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(server.Output, $@"ESTAB\s*│\s*0\s*│\s*0\s*│\s*{machines.ServerAddress}:9501\s*│\s*{machines.ClientAddress}:\d+"), server.Output);
        Assert.Contains("received: hello over veth", server.Output);
        // Both close at about the same moment (the server after its write, the client after its read). The side
        // whose FIN went first keeps the TIME-WAIT; when the two FINs cross, each end receives the other's FIN in
        // FIN-WAIT-1, goes to CLOSING (tcp_fin) and then to TIME-WAIT when its own FIN is acknowledged, so both
        // keep one. Either way the TIME-WAIT is this connection's four-tuple, seen from each side; what the kernel
        // never does after an orderly close is leave no TIME-WAIT at all (a reset) or a half-closed end behind.
        string clientPort = System.Text.RegularExpressions.Regex.Match(client.Output,
            $@"ESTAB\s*│\s*0\s*│\s*0\s*│\s*{machines.ClientAddress}:(\d+)\s*│\s*{machines.ServerAddress}:9501").Groups[1].Value;
        bool serverWaits = System.Text.RegularExpressions.Regex.IsMatch(server.Output,
            $@"TIME-WAIT\s*│\s*0\s*│\s*0\s*│\s*{machines.ServerAddress}:9501\s*│\s*{machines.ClientAddress}:{clientPort}\s");
        bool clientWaits = System.Text.RegularExpressions.Regex.IsMatch(client.Output,
            $@"TIME-WAIT\s*│\s*0\s*│\s*0\s*│\s*{machines.ClientAddress}:{clientPort}\s*│\s*{machines.ServerAddress}:9501\s");
        Assert.True(serverWaits || clientWaits, $"TIME-WAIT on the server: {serverWaits}, on the client: {clientWaits}\n{server.Output}\n{client.Output}");
        // The last table each side printed, after its close settled: nothing on the port but TIME-WAIT.
        foreach (var (side, output) in new[] { ("server", server.Output), ("client", client.Output) })
        {
            string last = output[output.LastIndexOf("sockets on port 9501 here", StringComparison.Ordinal)..];
            foreach (var state in new[] { "ESTAB", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSING", "LAST-ACK", "CLOSE-WAIT", "LISTEN" })
            {
                Assert.False(System.Text.RegularExpressions.Regex.IsMatch(last, $@"│\s*{state}\s*│|^\s*{state}\s", System.Text.RegularExpressions.RegexOptions.Multiline),
                    $"the {side}'s last table still shows {state}:\n{last}");
            }
        }
    }

    [NamespacesFact]
    public void Binding_is_to_an_address_the_other_machines_address_cannot_be_bound()
    {
        using var machines = new TwoMachines();
        var wrong = machines.Run(machines.ClientSide, "serve", "--address", machines.ServerAddress, "--once", "--timeout", "1");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"bind(", wrong.Output);
        Assert.Contains("EADDRNOTAVAIL (99)", wrong.Output);

        // Loopback is every machine's own: a server on 127.0.0.1 is out of the other machine's reach.
        using var local = machines.Start(machines.ServerSide, "serve", "--address", "127.0.0.1", "--port", "9502", "--once", "--timeout", "5");
        Assert.True(local.WaitForOutput("listen(", TimeSpan.FromSeconds(30)), local.Output);
        var refused = machines.Run(machines.ClientSide, "connect", "--address", machines.ServerAddress, "--port", "9502", "--timeout", "5");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("ECONNREFUSED (111)", refused.Output);
    }

    [Fact]
    public void Bad_options_are_named()
    {
        var run = TwoMachines.RunHere(["serve", "--address", "10.0.0.1", "--port", "0"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--port must be positive", run.Output);
        run = TwoMachines.RunHere(["connect"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--address", run.Output);
    }
}

/// <summary>Two network namespaces joined by a veth pair, removed on Dispose.</summary>
internal sealed class TwoMachines : IDisposable
{
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "..", "..", "SeedFlow", "debug", "SeedFlow.dll");
    private readonly string tag = $"sf{Environment.ProcessId % 100000}{Random.Shared.Next(100, 1000)}";

    public string ServerSide => $"{tag}a";
    public string ClientSide => $"{tag}b";
    public string ServerAddress { get; }
    public string ClientAddress { get; }

    public TwoMachines()
    {
        int subnet = Random.Shared.Next(1, 250);
        ServerAddress = $"10.77.{subnet}.1";
        ClientAddress = $"10.77.{subnet}.2";
        try
        {
            Ip("netns", "add", ServerSide);
            Ip("netns", "add", ClientSide);
            Ip("link", "add", $"{tag}a0", "type", "veth", "peer", "name", $"{tag}b0");
            Ip("link", "set", $"{tag}a0", "netns", ServerSide);
            Ip("link", "set", $"{tag}b0", "netns", ClientSide);
            Ip("-n", ServerSide, "addr", "add", $"{ServerAddress}/24", "dev", $"{tag}a0");
            Ip("-n", ClientSide, "addr", "add", $"{ClientAddress}/24", "dev", $"{tag}b0");
            foreach (var (side, link) in new[] { (ServerSide, $"{tag}a0"), (ClientSide, $"{tag}b0") })
            {
                Ip("-n", side, "link", "set", link, "up");
                Ip("-n", side, "link", "set", "lo", "up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Tool Start(string side, params string[] arguments) => new(StartInfo(side, arguments));

    public (int ExitCode, string Output) Run(string side, params string[] arguments)
    {
        using var tool = Start(side, arguments);
        if (!tool.WaitForExit(TimeSpan.FromSeconds(60))) throw new TimeoutException($"SeedFlow {string.Join(' ', arguments)} still running after 60 s:\n{tool.Output}");
        return (tool.ExitCode, tool.Output);
    }

    public static (int ExitCode, string Output) RunHere(string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Tool);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var tool = new Tool(info);
        Assert.True(tool.WaitForExit(TimeSpan.FromSeconds(60)), tool.Output);
        return (tool.ExitCode, tool.Output);
    }

    private static ProcessStartInfo StartInfo(string side, string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", side, "dotnet", Tool }.Concat(arguments)) info.ArgumentList.Add(a);
        info.Environment["COLUMNS"] = "160";
        return info;
    }

    private static void Ip(params string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var ip = Process.Start(info)!;
        string error = ip.StandardError.ReadToEnd();
        if (!ip.WaitForExit(10_000)) ip.Kill();
        if (ip.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {error.Trim()}");
    }

    public void Dispose()
    {
        // Deleting a namespace takes its end of the veth pair and the pair with it.
        foreach (var side in new[] { ServerSide, ClientSide })
        {
            try { Ip("netns", "del", side); } catch (InvalidOperationException) { }
        }
    }
}

/// <summary>A running SeedFlow process, its stdout and stderr collected together.</summary>
internal sealed class Tool : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    public Tool(ProcessStartInfo info)
    {
        process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (output) return output.ToString(); } }

    public int ExitCode => process.ExitCode;

    public bool WaitForOutput(string text, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (process.HasExited) return Output.Contains(text, StringComparison.Ordinal);
            Thread.Sleep(20);
        }
        return false;
    }

    public bool WaitForExit(TimeSpan limit)
    {
        if (!process.WaitForExit(limit)) return false;
        process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}

/// <summary>Runs where this process may create network namespaces with ip(8): tried, not assumed from the uid.</summary>
public sealed class NamespacesFactAttribute : CourseTests.ConditionalFactAttribute
{
    public NamespacesFactAttribute() => Skip = Why();

    private static string? Why()
    {
        string name = $"sfprobe{Environment.ProcessId}";
        try
        {
            var add = Process.Start(new ProcessStartInfo("ip", ["netns", "add", name]) { RedirectStandardError = true })!;
            string error = add.StandardError.ReadToEnd();
            add.WaitForExit();
            if (add.ExitCode != 0) return $"cannot create a network namespace here (ip netns add: {error.Trim()}); run as root";
            Process.Start("ip", ["netns", "del", name])!.WaitForExit();
            return null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"ip(8) is not available: {e.Message} (Debian: iproute2)";
        }
    }
}

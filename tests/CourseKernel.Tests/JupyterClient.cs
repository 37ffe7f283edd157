using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace CourseKernel.Tests;

/// <summary>
/// A small Jupyter client written from the messaging spec, independent of the kernel's own code: it
/// starts the kernel with a fresh connection file and signs, sends and reads messages itself.
/// </summary>
internal sealed class JupyterClient : IDisposable
{
    public const string Key = "a-test-key-0123456789";
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly Scratch _scratch = Course.Scratch();
    private readonly DealerSocket _shell = new(), _control = new();
    private readonly SubscriberSocket _iopub = new();
    private readonly RequestSocket _heartbeat = new();
    private readonly StringBuilder _stderr = new();

    public Process Kernel { get; }
    public string KernelStderr { get { lock (_stderr) return _stderr.ToString(); } }

    public JupyterClient()
    {
        int[] ports = FreePorts(5);
        string connection = Path.Combine(_scratch.Path, "kernel.json");
        File.WriteAllText(connection, new JsonObject
        {
            ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["key"] = Key, ["signature_scheme"] = "hmac-sha256",
            ["shell_port"] = ports[0], ["iopub_port"] = ports[1], ["stdin_port"] = ports[2], ["control_port"] = ports[3], ["hb_port"] = ports[4],
        }.ToJsonString());
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Course.Notebooks, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Course.KernelDll, "jupyter", connection }) info.ArgumentList.Add(a);
        Kernel = Process.Start(info)!;
        Kernel.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        Kernel.OutputDataReceived += (_, _) => { };
        Kernel.BeginErrorReadLine();
        Kernel.BeginOutputReadLine();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _iopub, _heartbeat }) socket.Options.Linger = TimeSpan.Zero;
        _shell.Connect($"tcp://127.0.0.1:{ports[0]}");
        _iopub.Connect($"tcp://127.0.0.1:{ports[1]}");
        _iopub.SubscribeToAnyTopic();
        _control.Connect($"tcp://127.0.0.1:{ports[3]}");
        _heartbeat.Connect($"tcp://127.0.0.1:{ports[4]}");
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    public NetMQSocket Shell => _shell;
    public NetMQSocket Control => _control;

    /// <summary>Sends a request; <paramref name="tamper"/> changes the signed content after signing.</summary>
    public string Send(NetMQSocket socket, string type, JsonObject content, bool tamper = false)
    {
        string id = Guid.NewGuid().ToString();
        var header = new JsonObject { ["msg_id"] = id, ["session"] = _session, ["username"] = "test", ["date"] = DateTime.UtcNow.ToString("o"), ["msg_type"] = type, ["version"] = "5.3" };
        byte[][] frames = [Utf8(header.ToJsonString()), Utf8("{}"), Utf8("{}"), Utf8(content.ToJsonString())];
        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(Utf8(Key), frames.SelectMany(f => f).ToArray()));
        if (tamper) frames[3] = Utf8(content.ToJsonString().Replace("}", " }"));
        var message = new NetMQMessage();
        message.Append("<IDS|MSG>");
        message.Append(signature);
        foreach (var frame in frames) message.Append(frame);
        socket.SendMultipartMessage(message);
        return id;
    }

    /// <summary>The next reply on <paramref name="socket"/> within <paramref name="limit"/>, its signature checked, or null.</summary>
    public JsonObject? Receive(NetMQSocket socket, TimeSpan limit)
    {
        NetMQMessage? message = null;
        if (!socket.TryReceiveMultipartMessage(limit, ref message)) return null;
        return Decode(message!);
    }

    /// <summary>The iopub messages whose parent is <paramref name="parentId"/>, up to and including its idle status.</summary>
    public List<JsonObject> IopubUntilIdle(string parentId, TimeSpan limit) =>
        IopubUntil(parentId, m => (string?)m["header"]!["msg_type"] == "status" && (string?)m["content"]!["execution_state"] == "idle", limit);

    /// <summary>The iopub messages whose parent is <paramref name="parentId"/>, up to and including the first that <paramref name="last"/> accepts.</summary>
    public List<JsonObject> IopubUntil(string parentId, Func<JsonObject, bool> last, TimeSpan limit)
    {
        var found = new List<JsonObject>();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            NetMQMessage? wire = null;
            if (!_iopub.TryReceiveMultipartMessage(TimeSpan.FromMilliseconds(200), ref wire)) continue;
            var message = Decode(wire!);
            if ((string?)message["parent_header"]!["msg_id"] != parentId) continue;
            found.Add(message);
            if (last(message)) return found;
        }
        throw new TimeoutException($"iopub: the awaited message for {parentId} did not come within {limit}; got {string.Join(", ", found.Select(m => m["header"]!["msg_type"]))}\n{KernelStderr}");
    }

    /// <summary>
    /// One kernel_info_request, answered once the kernel has bound its sockets: ZeroMQ keeps the request
    /// and delivers it when the connection comes up. (Sending it again and again would leave the extra
    /// replies queued ahead of the test's own.)
    /// </summary>
    public JsonObject WaitUntilReady(TimeSpan limit)
    {
        Send(_shell, "kernel_info_request", []);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            Assert.False(Kernel.HasExited, "the kernel exited while starting:\n" + KernelStderr);
            if (Receive(_shell, TimeSpan.FromSeconds(1)) is { } reply)
            {
                NudgeIopub(limit - watch.Elapsed);
                return reply;
            }
        }
        throw new TimeoutException($"no kernel_info_reply within {limit}\n{KernelStderr}");
    }

    /// <summary>
    /// A subscription reaches the publisher a moment after the connection does, and what is published
    /// before that is lost: ask until iopub carries a status for one of the requests (Notebook's server
    /// "nudges" the same way).
    /// </summary>
    private void NudgeIopub(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            string id = Send(_shell, "kernel_info_request", []);
            Assert.NotNull(Receive(_shell, TimeSpan.FromSeconds(30)));
            try { IopubUntilIdle(id, TimeSpan.FromSeconds(1)); return; }
            catch (TimeoutException) { }
        }
        throw new TimeoutException($"iopub carried nothing within {limit}");
    }

    public bool Heartbeat(byte[] ping, out byte[]? pong)
    {
        _heartbeat.SendFrame(ping);
        return _heartbeat.TryReceiveFrameBytes(TimeSpan.FromSeconds(5), out pong);
    }

    private static JsonObject Decode(NetMQMessage message)
    {
        var frames = message.Select(f => f.ToByteArray()).ToList();
        int delimiter = frames.FindIndex(f => Encoding.ASCII.GetString(f) == "<IDS|MSG>");
        var signed = frames.GetRange(delimiter + 2, 4);
        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(Utf8(Key), signed.SelectMany(f => f).ToArray()));
        Assert.Equal(expected, Encoding.ASCII.GetString(frames[delimiter + 1]));
        return new JsonObject
        {
            ["header"] = JsonNode.Parse(signed[0]), ["parent_header"] = JsonNode.Parse(signed[1]),
            ["metadata"] = JsonNode.Parse(signed[2]), ["content"] = JsonNode.Parse(signed[3]),
        };
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public void Dispose()
    {
        foreach (var socket in new NetMQSocket[] { _shell, _control, _iopub, _heartbeat }) socket.Dispose();
        if (!Kernel.HasExited) Kernel.Kill(entireProcessTree: true);
        Kernel.Dispose();
        _scratch.Dispose();
    }
}

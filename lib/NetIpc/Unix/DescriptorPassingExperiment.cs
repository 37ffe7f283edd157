using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NetIpc.Isolation;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Unix;

/// <summary>
/// An open file passed from this process to another over a UNIX socket (SCM_RIGHTS), and the other process
/// identified by the kernel (SO_PEERCRED): each side's descriptor number and link, what the receiver wrote
/// through the descriptor it was given, and the credentials the kernel recorded for the connection.
/// </summary>
public sealed record DescriptorPassingResult(
    int SenderPid, int SenderFd, string SenderTarget,
    int ReceiverPid, int ReceiverFd, string ReceiverTarget,
    string FileContents,
    int PeerCredPid, uint PeerCredUid, uint PeerCredGid, uint SenderUid, uint SenderGid);

/// <summary>What the receiving process reports on its standard output.</summary>
internal sealed record ReceivedDescriptor(int Pid, int Fd, string Target);

internal static class DescriptorPassingExperiment
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static DescriptorPassingResult Run()
    {
        string host = UserNamespaceChild.FindHost() ?? throw new InvalidOperationException(
            "the receiving process is the course's experiment host (artifacts/bin/ExperimentHost), which is not built: run dotnet build Course.sln");
        using var files = new SocketFiles();
        string socketPath = files["pass.sock"], filePath = files["passed.txt"];
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);

        var start = new ProcessStartInfo(UserNamespaceChild.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { host, "receive-fd", socketPath }) start.ArgumentList.Add(a);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("the experiment host did not start");
        try
        {
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            if (!listener.Poll(Limit, SelectMode.SelectRead))
                throw new TimeoutException($"the receiving process did not connect within {Limit.TotalSeconds:0} s: {(child.HasExited ? stderr.Result : "still running")}");
            using var connection = listener.Accept();
            var (peerPid, peerUid, peerGid) = ScmRights.PeerCredentials(connection);

            using var file = File.OpenHandle(filePath, FileMode.CreateNew, FileAccess.ReadWrite);
            int fd = checked((int)file.DangerousGetHandle());
            string senderTarget = ProcessFds.TargetOf(fd);
            ScmRights.Send(connection, fd, "f"u8);

            if (!child.WaitForExit(Limit)) throw new TimeoutException($"the receiving process did not finish within {Limit.TotalSeconds:0} s");
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException($"the receiving process failed: {stderr.Result.Split('\n')[0]}");
            var received = JsonSerializer.Deserialize<ReceivedDescriptor>(stdout.Result)
                ?? throw new InvalidOperationException($"the receiving process said nothing readable: {stdout.Result}");
            string contents = File.ReadAllText(filePath);
            return new DescriptorPassingResult(Environment.ProcessId, fd, senderTarget, received.Pid, received.Fd, received.Target, contents,
                peerPid, peerUid, peerGid, Native.LibC.GetEffectiveUserId(), Native.LibC.GetEffectiveGroupId());
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }

    /// <summary>Runs in the receiving process: connect, take the descriptor, write a line through it, report.</summary>
    public static void ReceiveHere(string socketPath, TextWriter output)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = (int)Limit.TotalMilliseconds };
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        var (fd, _) = ScmRights.Receive(socket);
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        string target = ProcessFds.TargetOf(fd);
        RandomAccess.Write(handle, Encoding.UTF8.GetBytes($"written by process {Environment.ProcessId} through its descriptor {fd}\n"), fileOffset: 0);
        output.Write(JsonSerializer.Serialize(new ReceivedDescriptor(Environment.ProcessId, fd, target)));
    }
}

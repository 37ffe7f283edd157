using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Packets;

/// <summary>
/// Chapter 02: sockets whose /proc/net lines a learner decodes by hand — a listener on
/// 127.0.0.1:9501, a client connected to it, and a listener on [::1]:9501 for the IPv6 format.
/// Where there is no /proc/net (or no IPv6) the lines come from the recordings, and say so.
/// </summary>
public sealed class ByteOrderLab : IDisposable
{
    private readonly List<Socket> sockets = [];

    private ByteOrderLab()
    {
    }

    public string Source { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary>The kernel's line for the IPv4 listener.</summary>
    public string ListenerLine { get; private set; } = "";

    /// <summary>The kernel's line for the client's end of the connection.</summary>
    public string ClientLine { get; private set; } = "";

    /// <summary>
    /// The client socket's own endpoints, from getsockname/getpeername (live), or from the recorded line when
    /// there is no kernel to ask: what <see cref="ClientLine"/> says, known without reading it.
    /// </summary>
    public (IPEndPoint Local, IPEndPoint Remote) ClientEndpoints { get; private set; }

    /// <summary>The kernel's /proc/net/tcp6 line for the IPv6 listener on ::1 (or a recorded ::1 line).</summary>
    public string Ipv6Line { get; private set; } = "";

    /// <summary>The lab, on the seed's port when the kernel allows; <paramref name="preferredPort"/> 0 keeps it off 9501 (tests).</summary>
    public static ByteOrderLab Start(int preferredPort = SeedPort.Number)
    {
        var lab = new ByteOrderLab();
        try
        {
            if (ProcNet.Self.Exists)
            {
                lab.OpenLive(preferredPort);
            }
            else
            {
                lab.UseRecording();
            }
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    private void OpenLive(int preferredPort)
    {
        var (listener, port) = SeedPort.Listen(IPAddress.Loopback, preferred: preferredPort);
        sockets.Add(listener);
        Port = port.Port;
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sockets.Add(client);
        client.Connect(listener.LocalEndPoint!);
        int clientPort = client.LocalPort();
        var lines = TcpTable.ParseWithText(ProcNet.Self.Read("tcp"));
        ListenerLine = lines.First(l => l.Entry.State == KernelTcpState.Listen && l.Entry.Local.Port == Port).Text;
        ClientLine = lines.First(l => l.Entry.Local.Port == clientPort && l.Entry.Remote.Port == Port).Text;
        ClientEndpoints = ((IPEndPoint)client.LocalEndPoint!, (IPEndPoint)client.RemoteEndPoint!);
        Source = $"live: this machine's kernel; the IPv4 listener is on 127.0.0.1, {port.Sentence}";
        if (Socket.OSSupportsIPv6 && File.Exists("/proc/self/net/tcp6"))
        {
            var (listener6, port6) = SeedPort.Listen(IPAddress.IPv6Loopback, preferred: preferredPort);
            sockets.Add(listener6);
            Source += $"; the IPv6 listener is on ::1, {port6.Sentence}";
            Ipv6Line = TcpTable.ParseWithText(ProcNet.Self.Read("tcp6"), "/proc/net/tcp6")
                .First(l => l.Entry.State == KernelTcpState.Listen && l.Entry.Local.Port == port6.Port).Text;
        }
        else
        {
            Ipv6Line = RecordedIpv6Line();
            Source += "; this machine has no IPv6, so the IPv6 line is RECORDED (data/proc/edge-cases/tcp6)";
        }
    }

    private void UseRecording()
    {
        var lines = TcpTable.ParseWithText(Recordings.ReadText("proc/seed-server/tcp"), "seed-server/tcp");
        Port = SeedPort.Number;
        ListenerLine = lines.First(l => l.Entry.State == KernelTcpState.Listen).Text;
        var clientLine = lines.First(l => l.Entry.Remote.Port == Port);
        ClientLine = clientLine.Text;
        ClientEndpoints = (clientLine.Entry.Local, clientLine.Entry.Remote);
        Ipv6Line = RecordedIpv6Line();
        Source = $"{RecordingLabel.NotThisMachine}: there is no /proc/net here, so the lines come from data/proc. {Recordings.Provenance("seed-server")}";
    }

    private static string RecordedIpv6Line() =>
        TcpTable.ParseWithText(Recordings.ReadText("proc/edge-cases/tcp6"), "edge-cases/tcp6")
            .First(l => l.Entry.Local.Address.Equals(IPAddress.IPv6Loopback)).Text;

    public void Dispose()
    {
        foreach (var s in sockets)
        {
            s.Dispose();
        }
    }
}

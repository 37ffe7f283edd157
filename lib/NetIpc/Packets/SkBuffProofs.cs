using NetIpc.Harness;
using NetIpc.Isolation;

namespace NetIpc.Packets;

/// <summary>What the receive-path experiment captured and what it checked.</summary>
public sealed record ReceivePathResult(int ServerPort, int ClientPort, int UdpPort, int BytesSent, IReadOnlyList<CapturedFrame> Frames, IReadOnlyList<ProofCheck> Checks)
{
    /// <summary>Loopback's MTU as the client's route reported it (IP_MTU), or null for a capture that did not record it.</summary>
    public int? LoopbackMtu { get; init; }

    /// <summary>Loopback's device MTU in the capture's namespace (ip link show lo), or null for a capture that did not record it.</summary>
    public int? LoopbackDeviceMtu { get; init; }

    /// <summary>"live: …" or "RECORDED …": where the frames came from.</summary>
    public string Source { get; init; } = "live: captured just now on this machine's loopback, in a network namespace of the experiment's own";


    /// <summary>The captured frames as text (one hex line each), what data/packets/loopback-capture.txt holds.</summary>
    public string ToRecording() =>
        $"# server {ServerPort} client {ClientPort} udp {UdpPort} bytes {BytesSent}{(LoopbackMtu is int mtu ? $" mtu {mtu}" : "")}"
        + (LoopbackMtu is not null && LoopbackDeviceMtu is int device ? $" devmtu {device}" : "") + "\n"
        + string.Concat(Frames.Select(f => Convert.ToHexString(f.Skb.Buffer) + "\n"));
}

/// <summary>What the send-path experiments built, sent and saw delivered.</summary>
public sealed record SendPathResult(byte[] Packet, IReadOnlyList<ProofCheck> Checks)
{
    /// <summary>The packet that was sent, taken apart again: IPv4 header, then the transport header behind it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Ipv4Header Ip => Ipv4Header.Parse(Packet);
}

/// <summary>
/// Chapter 04's proofs that the sk_buff model and the header types match the kernel (<see cref="ReceivePathProof"/>,
/// <see cref="SendUdpProof"/>, <see cref="SendSynProof"/>; this class hands the chapter's calls on). Each runs on
/// a thread in a network namespace of its own (where Capabilities allows: see IsolatedExperiment), so it sees and sends nothing but its own
/// loopback traffic, and everything it opened is gone when it returns.
/// </summary>
public static class SkBuffProofs
{
    /// <summary>What the recorded capture is, for the label a chapter shows above it.</summary>
    public const string RecordedCaptureLabel = RecordingLabel.Marker + "Linux 6.18: frames captured into data/packets/loopback-capture.txt, not measured now, taken apart here by the same code";

    /// <summary>
    /// Captures every frame on loopback with an AF_PACKET socket while a TCP connection is made and
    /// <paramref name="message"/> sent over it, and one UDP datagram is sent; then pulls each frame apart.
    /// </summary>
    public static ReceivePathResult ReceivePath(string message = "hello") => ReceivePathProof.FromCapture(ReceivePathProof.ReceivePathCapture.Run(message), "the capture");

    /// <inheritdoc cref="ReceivePathProof.ReceivePathCapture"/>
    public static IsolatedExperiment<string, string> ReceivePathCapture => ReceivePathProof.ReceivePathCapture;

    /// <inheritdoc cref="ReceivePathProof.Recorded"/>
    public static ReceivePathResult RecordedReceivePath() => ReceivePathProof.Recorded();

    /// <inheritdoc cref="ReceivePathProof.FromCapture"/>
    public static ReceivePathResult FromCapture(string capture, string where = "the capture") => ReceivePathProof.FromCapture(capture, where);

    /// <inheritdoc cref="SendUdpProof.Run"/>
    public static SendPathResult SendUdp(string message = "hello from an sk_buff") => SendUdpProof.Run(message);

    /// <inheritdoc cref="SendUdpProof.SendUdpRun"/>
    public static IsolatedExperiment<string, SendPathResult> SendUdpRun => SendUdpProof.SendUdpRun;

    /// <inheritdoc cref="SendSynProof.Run"/>
    public static SendPathResult SendSyn() => SendSynProof.Run();

    /// <inheritdoc cref="SendSynProof.SendSynRun"/>
    public static IsolatedExperiment<uint, SendPathResult> SendSynRun => SendSynProof.SendSynRun;

    /// <summary>The receive path in reverse order of the send path: see <see cref="FrameDissector.TakeApart"/>.</summary>
    public static CapturedFrame? TakeApart(int number, ReadOnlySpan<byte> frame) => FrameDissector.TakeApart(number, frame);

    /// <inheritdoc cref="ReceivePathProof.ProveReceivePath"/>
    internal static IReadOnlyList<ProofCheck> ProveReceivePath(IReadOnlyList<CapturedFrame> frames, int serverPort, int clientPort, int udpPort, int bytesSent, int? loopbackMtu = null,
        int? deviceMtu = null) =>
        ReceivePathProof.ProveReceivePath(frames, serverPort, clientPort, udpPort, bytesSent, loopbackMtu, deviceMtu);
}

using System.Text;
using System.Text.Json.Nodes;
using NetMQ;

namespace CourseKernel.Jupyter;

/// <summary>
/// One message of the Jupyter protocol. On the wire: routing identities, "&lt;IDS|MSG&gt;", the HMAC,
/// then header, parent header, metadata and content as JSON, then any binary buffers.
/// </summary>
public sealed record JupyterMessage(IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    public const string ProtocolVersion = "5.3";
    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    public string Type => (string?)Header["msg_type"] ?? "";

    /// <summary>
    /// A new message; <paramref name="parent"/> is the request it answers (its identities route a reply
    /// back on a ROUTER socket; iopub messages take a topic instead).
    /// </summary>
    public static JupyterMessage Create(string type, JsonObject content, JupyterMessage? parent, string session, IReadOnlyList<byte[]>? identities = null) =>
        new(identities ?? parent?.Identities ?? [],
            new JsonObject
            {
                ["msg_id"] = Guid.NewGuid().ToString(),
                ["session"] = session,
                ["username"] = "kernel",
                ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
                ["msg_type"] = type,
                ["version"] = ProtocolVersion,
            },
            parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
            [],
            content);

    public NetMQMessage ToWire(MessageSigner signer)
    {
        byte[][] signed = [Bytes(Header), Bytes(ParentHeader), Bytes(Metadata), Bytes(Content)];
        var wire = new NetMQMessage();
        foreach (var identity in Identities) wire.Append(identity);
        wire.Append(Delimiter);
        wire.Append(signer.Sign(signed));
        foreach (var frame in signed) wire.Append(frame);
        return wire;
    }

    /// <summary>The message, or null with the reason when it is malformed or its signature does not match.</summary>
    public static JupyterMessage? FromWire(List<byte[]> frames, MessageSigner signer, out string? rejection)
    {
        int delimiter = frames.FindIndex(f => f.AsSpan().SequenceEqual(Delimiter));
        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            rejection = $"malformed message ({frames.Count} frames, delimiter at {delimiter})";
            return null;
        }
        var signed = frames.GetRange(delimiter + 2, 4);
        if (!signer.Verify(Encoding.ASCII.GetString(frames[delimiter + 1]), signed))
        {
            rejection = "bad signature";
            return null;
        }
        try
        {
            JsonObject Parse(byte[] frame) => JsonNode.Parse(frame) as JsonObject ?? [];
            rejection = null;
            return new JupyterMessage(frames.GetRange(0, delimiter), Parse(signed[0]), Parse(signed[1]), Parse(signed[2]), Parse(signed[3]));
        }
        catch (System.Text.Json.JsonException e)
        {
            rejection = $"signed, but not JSON: {e.Message}";
            return null;
        }
    }

    private static byte[] Bytes(JsonObject json) => Encoding.UTF8.GetBytes(json.ToJsonString());
}

using System.Security.Cryptography;
using System.Text;

namespace CourseKernel.Jupyter;

/// <summary>
/// HMAC-SHA256 over a message's header, parent header, metadata and content frames, as the Jupyter
/// messaging spec defines it. An empty key means "no signing" in the spec; the signature is then
/// empty on both sides.
/// </summary>
public sealed class MessageSigner(string key)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    public bool Enabled => _key.Length > 0;

    public string Sign(IReadOnlyList<byte[]> frames)
    {
        if (!Enabled) return "";
        return Convert.ToHexStringLower(Compute(frames));
    }

    /// <summary>
    /// Compares in constant time, over the frames exactly as received: re-serialising the JSON first
    /// could change bytes the sender signed.
    /// </summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> frames)
    {
        if (!Enabled) return signature.Length == 0;
        byte[] claimed;
        try { claimed = Convert.FromHexString(signature); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(claimed, Compute(frames));
    }

    private byte[] Compute(IReadOnlyList<byte[]> frames)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (var frame in frames) hmac.AppendData(frame);
        return hmac.GetHashAndReset();
    }
}

using System.Text.Json;

namespace CourseKernel.Jupyter;

/// <summary>Thrown for a connection file the kernel cannot use; the message names the file and the field.</summary>
public sealed class ConnectionFileException(string message) : Exception(message);

/// <summary>
/// The connection file a Jupyter front end writes before it starts a kernel: where to bind the five
/// sockets and the key that signs every message.
/// </summary>
public sealed record ConnectionFile(string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort, int ControlPort, int HbPort, string Key, string SignatureScheme)
{
    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";

    public static ConnectionFile Read(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ConnectionFileException($"connection file {path}: cannot read it: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new ConnectionFileException($"connection file {path}: expected a JSON object");

        string Text(string field, string? fallback = null)
        {
            if (!root.TryGetProperty(field, out var value))
                return fallback ?? throw new ConnectionFileException($"connection file {path}: field \"{field}\" is missing");
            return value.ValueKind == JsonValueKind.String ? value.GetString()!
                : throw new ConnectionFileException($"connection file {path}: field \"{field}\" must be a string");
        }
        int Port(string field)
        {
            if (!root.TryGetProperty(field, out var value))
                throw new ConnectionFileException($"connection file {path}: field \"{field}\" is missing");
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int port) && port is > 0 and < 65536 ? port
                : throw new ConnectionFileException($"connection file {path}: field \"{field}\" must be a port number, not {value}");
        }

        var file = new ConnectionFile(
            Transport: Text("transport", "tcp"), Ip: Text("ip", "127.0.0.1"),
            ShellPort: Port("shell_port"), IopubPort: Port("iopub_port"), StdinPort: Port("stdin_port"),
            ControlPort: Port("control_port"), HbPort: Port("hb_port"),
            // No default: a kernel that silently ran unsigned would accept code from anyone who can reach its ports.
            Key: Text("key"), SignatureScheme: Text("signature_scheme", "hmac-sha256"));
        if (file.SignatureScheme != "hmac-sha256")
            throw new ConnectionFileException($"connection file {path}: field \"signature_scheme\" is \"{file.SignatureScheme}\"; this kernel signs with hmac-sha256 only");
        if (file.Transport is not ("tcp" or "ipc"))
            throw new ConnectionFileException($"connection file {path}: field \"transport\" is \"{file.Transport}\"; expected tcp or ipc");
        return file;
    }
}

namespace NetIpc.Sockets;

/// <summary>A number that is not a descriptor open through <see cref="Sys"/>; the C-like calls turn it into EBADF.</summary>
public sealed class NotASocketException(int fd)
    : ArgumentException($"fd {fd} is not a socket opened through Sys (or it was closed)", nameof(fd));

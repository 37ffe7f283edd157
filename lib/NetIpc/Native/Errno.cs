namespace NetIpc.Native;

/// <summary>
/// Names for the errno values the course meets. Hand-written because .NET only offers the
/// message text (strerror), and the course wants the C name a reader will find in man pages.
/// </summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EPIPE = 32;
    public const int EADDRINUSE = 98;
    public const int ECONNRESET = 104;
    public const int ECONNREFUSED = 111;
    public const int EROFS = 30;

    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [4] = "EINTR", [9] = "EBADF", [11] = "EAGAIN",
        [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [17] = "EEXIST", [22] = "EINVAL",
        [24] = "EMFILE", [32] = "EPIPE", [38] = "ENOSYS", [88] = "ENOTSOCK", [90] = "EMSGSIZE",
        [93] = "EPROTONOSUPPORT", [94] = "ESOCKTNOSUPPORT", [95] = "EOPNOTSUPP",
        [97] = "EAFNOSUPPORT", [98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL", [100] = "ENETDOWN",
        [101] = "ENETUNREACH", [103] = "ECONNABORTED", [104] = "ECONNRESET", [105] = "ENOBUFS",
        [106] = "EISCONN", [107] = "ENOTCONN", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED",
        [113] = "EHOSTUNREACH", [114] = "EALREADY", [115] = "EINPROGRESS", [30] = "EROFS", [28] = "ENOSPC",
    };

    /// <summary>"EADDRINUSE (98)", or "errno 200" for a number the table does not know.</summary>
    public static string Describe(int errno) =>
        Names.TryGetValue(errno, out var name) ? $"{name} ({errno})" : $"errno {errno}";
}

namespace NetIpc.Native;

/// <summary>
/// Names for the errno values the course meets (Linux x86-64 and arm64 numbering, asm-generic/errno*.h).
/// Hand-written because .NET only offers the message text (strerror), and the course wants the C name a reader
/// will find in man pages.
/// </summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int EMFILE = 24;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int EPIPE = 32;
    public const int ENOSYS = 38;
    public const int ENOTSOCK = 88;
    public const int EMSGSIZE = 90;
    public const int EPROTONOSUPPORT = 93;
    public const int ESOCKTNOSUPPORT = 94;
    public const int EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;
    public const int ECONNABORTED = 103;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int EISCONN = 106;
    public const int ENOTCONN = 107;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EHOSTUNREACH = 113;
    public const int EALREADY = 114;
    public const int EINPROGRESS = 115;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = nameof(EPERM), [ENOENT] = nameof(ENOENT), [EINTR] = nameof(EINTR), [EBADF] = nameof(EBADF),
        [EAGAIN] = nameof(EAGAIN), [ENOMEM] = nameof(ENOMEM), [EACCES] = nameof(EACCES), [EFAULT] = nameof(EFAULT),
        [EEXIST] = nameof(EEXIST), [EINVAL] = nameof(EINVAL), [EMFILE] = nameof(EMFILE), [ENOSPC] = nameof(ENOSPC),
        [EROFS] = nameof(EROFS), [EPIPE] = nameof(EPIPE), [ENOSYS] = nameof(ENOSYS), [ENOTSOCK] = nameof(ENOTSOCK),
        [EMSGSIZE] = nameof(EMSGSIZE), [EPROTONOSUPPORT] = nameof(EPROTONOSUPPORT),
        [ESOCKTNOSUPPORT] = nameof(ESOCKTNOSUPPORT), [EOPNOTSUPP] = nameof(EOPNOTSUPP),
        [EAFNOSUPPORT] = nameof(EAFNOSUPPORT), [EADDRINUSE] = nameof(EADDRINUSE),
        [EADDRNOTAVAIL] = nameof(EADDRNOTAVAIL), [ENETDOWN] = nameof(ENETDOWN), [ENETUNREACH] = nameof(ENETUNREACH),
        [ECONNABORTED] = nameof(ECONNABORTED), [ECONNRESET] = nameof(ECONNRESET), [ENOBUFS] = nameof(ENOBUFS),
        [EISCONN] = nameof(EISCONN), [ENOTCONN] = nameof(ENOTCONN), [ETIMEDOUT] = nameof(ETIMEDOUT),
        [ECONNREFUSED] = nameof(ECONNREFUSED), [EHOSTUNREACH] = nameof(EHOSTUNREACH), [EALREADY] = nameof(EALREADY),
        [EINPROGRESS] = nameof(EINPROGRESS),
    };

    /// <summary>"EADDRINUSE (98)", or "errno 200" for a number the table does not know.</summary>
    public static string Describe(int errno) =>
        Names.TryGetValue(errno, out var name) ? $"{name} ({errno})" : $"errno {errno}";
}

namespace NetIpc.Harness;

/// <summary>Waiting, with a bound, for the kernel to reach a state the experiment set in motion.</summary>
internal static class Poll
{
    /// <summary>
    /// Returns once <paramref name="done"/> holds; throws a <see cref="TimeoutException"/> naming
    /// <paramref name="what"/> when it has not within <paramref name="limit"/>. An experiment that went on
    /// with whatever it saw last would show a table of a state the kernel never reached. <paramref name="seen"/>,
    /// when given, says what the kernel showed instead, for the message.
    /// </summary>
    public static void Until(TimeSpan limit, string what, Func<bool> done, Func<string>? seen = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting {limit.TotalSeconds:0.##} s for {what}" + (seen is null ? "" : $"; last seen: {seen()}"));
            }
            Thread.Sleep(every ?? TimeSpan.FromMilliseconds(5));
        }
    }
}

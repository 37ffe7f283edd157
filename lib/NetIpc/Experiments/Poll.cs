namespace NetIpc.Experiments;

/// <summary>Waiting, with a bound, for the kernel to reach a state the experiment set in motion.</summary>
internal static class Poll
{
    public static void Until(TimeSpan limit, string what, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting {limit.TotalSeconds:0.#} s for {what}");
            }
            Thread.Sleep(5);
        }
    }
}

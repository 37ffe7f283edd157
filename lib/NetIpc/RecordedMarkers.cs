namespace NetIpc;

/// <summary>
/// How an output says it shows a recording, not a live run: every such label starts with one of these. The
/// notebook runner tells recordings from live runs by these words alone, and compiles this very file to do so
/// (it does not reference NetIpc: the notebooks load their own copy into the kernel), so producer and matcher
/// cannot drift apart.
/// </summary>
internal static class RecordedMarkers
{
    /// <summary>An experiment's recording under data/: "RECORDED on &lt;date&gt; with &lt;kernel&gt;…" (<c>RecordingLabel</c>).</summary>
    public const string On = "RECORDED on ";

    /// <summary>A fallback to data/ where this machine has no /proc/net: "RECORDED, not this machine: …".</summary>
    public const string NotThisMachine = "RECORDED, not this machine";

    public static readonly string[] All = [On, NotThisMachine];
}

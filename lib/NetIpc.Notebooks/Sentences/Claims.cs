using System.Globalization;

namespace NetIpc.Notebooks.Sentences;

/// <summary>
/// The sentences chapters 03–14 print right after a measurement. Each method requires the core's checks of the
/// result (<c>Checks().RequireAll()</c>, which throws <see cref="NetIpc.Harness.ProofFailedException"/> naming
/// the claim and what was seen) and then returns the sentence the chapter's prose rests on, filled in from the
/// result, so the prose around it carries no number of its own. No method here runs the kernel or decides what holds.
/// </summary>
public static partial class Claims
{
    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"+1,000", "−3", "0": a change in a count.</summary>
    private static string Signed(double value) =>
        Math.Round(value) == 0 ? "0" : Math.Round(value).ToString("+#,0;−#,0", CultureInfo.InvariantCulture);

    private static string Mb(double megabytesPerSecond) => megabytesPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "absent";
}

using System.Globalization;

namespace NetIpc.Notebooks.Exercises;

/// <summary>Where an exercise stands after its cell ran.</summary>
public enum Verdict
{
    /// <summary>The cell still holds its placeholders.</summary>
    NotAnswered,
    Correct,
    Wrong,
    /// <summary>The checker could not find the truth here (no Linux, a capability missing); it says what it could not verify.</summary>
    NotChecked,
}

/// <summary>
/// One exercise's outcome, shown as one line of text: <c>✓ Exercise 07.1 (…): correct — …</c>. The line's
/// shape is what <c>./run-course --grade</c> reads back from a cell's output, so it is built here only.
/// </summary>
public sealed record ExerciseResult(string Id, string Title, Verdict Verdict, string Detail)
{
    public string Symbol => Verdict switch
    {
        Verdict.Correct => "✓",
        Verdict.Wrong => "✗",
        Verdict.NotAnswered => "○",
        _ => "?",
    };

    public string Word => Verdict switch
    {
        Verdict.Correct => "correct",
        Verdict.Wrong => "wrong",
        Verdict.NotAnswered => "not answered yet",
        _ => "not checked",
    };

    public override string ToString() => $"{Symbol} Exercise {Id} ({Title}): {Word} — {Detail}";
}

/// <summary>One answer of an exercise: the learner's value (null while unanswered) and the kernel's.</summary>
public sealed record Part(string Name, object? Answer, object? Expected, string Hint, bool? Holds = null)
{
    public bool Answered => Answer is not null;

    public bool Right => Holds ?? Same(Answer, Expected);

    /// <summary>A value compared exactly.</summary>
    public static Part Of<T>(string name, T? answer, T expected, string hint) where T : struct =>
        new(name, answer, expected, hint);

    /// <summary>A reference value (a string, an endpoint, a list) compared with Equals, or item by item.</summary>
    public static Part Is(string name, object? answer, object expected, string hint) => new(name, answer, expected, hint);

    /// <summary>A measured number, right within <paramref name="tolerance"/>.</summary>
    public static Part Near(string name, double? answer, double expected, double tolerance, string hint) =>
        new(name, answer, expected, hint, answer is double a && !double.IsNaN(a) && Math.Abs(a - expected) <= tolerance);

    private static bool Same(object? a, object? b) => a switch
    {
        System.Collections.IEnumerable ea when a is not string && b is System.Collections.IEnumerable eb =>
            ea.Cast<object?>().SequenceEqual(eb.Cast<object?>()),
        _ => Equals(a, b),
    };

    internal static string Show(object? value) => value switch
    {
        null => "nothing",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e => $"{{ {string.Join(", ", e.Cast<object?>().Select(Show))} }}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Builds an exercise's result from its parts; every checker in <see cref="SelfCheck"/> ends here.</summary>
public static class Exercise
{
    /// <summary>
    /// Not answered while any part is still null (and then nothing is run: a placeholder costs nothing);
    /// otherwise correct when every part holds, wrong with each wrong part's hint.
    /// </summary>
    public static ExerciseResult Judge(string id, string title, IReadOnlyList<Part> parts, string? fill = null)
    {
        var missing = parts.Where(p => !p.Answered).Select(p => p.Name).ToList();
        if (missing.Count > 0)
            return NotAnswered(id, title, fill ?? $"fill in {string.Join(", ", missing)} and run the cell again.");
        var wrong = parts.Where(p => !p.Right).ToList();
        if (wrong.Count == 0)
            return new(id, title, Verdict.Correct, string.Join("; ", parts.Select(p => $"{p.Name} = {Part.Show(p.Answer)}")) + ".");
        return new(id, title, Verdict.Wrong, string.Join(" ", wrong.Select(p =>
            $"{p.Name}: you said {Part.Show(p.Answer)}, the kernel says {Part.Show(p.Expected)}. Hint: {p.Hint}")));
    }

    public static ExerciseResult NotAnswered(string id, string title, string whatToFill) => new(id, title, Verdict.NotAnswered, whatToFill);

    public static ExerciseResult NotChecked(string id, string title, string why) => new(id, title, Verdict.NotChecked, why);

    public static ExerciseResult Wrong(string id, string title, string what) => new(id, title, Verdict.Wrong, what);

    public static ExerciseResult Correct(string id, string title, string what) => new(id, title, Verdict.Correct, what);
}

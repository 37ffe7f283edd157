namespace NotebookRunner;

/// <summary>What <c>--grade</c> prints: each chapter's exercises, one line each, then the total.</summary>
internal static class GradeReport
{
    public static void Write(TextWriter report, IReadOnlyList<ExerciseOutcome> exercises, Answers answers)
    {
        report.WriteLine();
        report.WriteLine(answers == Answers.AsWritten ? "Exercises" : $"Exercises (answers from solutions/: {answers})");
        foreach (var chapter in exercises.GroupBy(e => e.Notebook))
        {
            report.WriteLine($"  {chapter.Key}");
            foreach (var e in chapter)
                report.WriteLine($"    {Symbol(e.Verdict)} {e.Id,-5} {e.Verdict,-16} {e.Title}");
        }
        int Count(string verdict) => exercises.Count(e => e.Verdict == verdict);
        report.WriteLine($"Total: {exercises.Count} exercises: {Count("correct")} correct, {Count("wrong")} wrong, {Count("not answered yet")} not answered, {Count("not checked")} not checked");
    }

    private static string Symbol(string verdict) => verdict switch
    {
        "correct" => "✓",
        "wrong" => "✗",
        "not answered yet" => "○",
        _ => "?",
    };
}

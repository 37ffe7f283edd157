namespace CourseTests;

/// <summary>
/// The traits that let a contributor leave out the slow tests (README, "Two commands"):
/// <c>dotnet test Course.sln --filter "Category!=WholeCourse&amp;Category!=Processes"</c> runs the library and
/// every test that stays in its own process.
/// </summary>
internal static class TestCategory
{
    /// <summary>Runs every chapter of the course (minutes each).</summary>
    public const string WholeCourse = "WholeCourse";

    /// <summary>Starts a kernel process, the runner, Jupyter or a browser (seconds each, and most of the suite's time).</summary>
    public const string Processes = "Processes";
}

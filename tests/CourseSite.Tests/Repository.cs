namespace CourseSite.Tests;

internal static class Repository
{
    /// <summary>The course's root (<see cref="CourseRoot"/>).</summary>
    public static string Root => CourseRoot.Path;

    /// <summary>artifacts/test-results/site, where the site's page screenshots are kept after a run.</summary>
    public static string Screenshots => Path.Combine(Root, "artifacts", "test-results", "site");
}

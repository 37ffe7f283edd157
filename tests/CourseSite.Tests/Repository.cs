namespace CourseSite.Tests;

internal static class Repository
{
    /// <summary>The course's root: the nearest folder above the test binaries holding Course.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Course.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>artifacts/test-results/site, where the site's page screenshots are kept after a run.</summary>
    public static string Screenshots => Path.Combine(Root, "artifacts", "test-results", "site");
}

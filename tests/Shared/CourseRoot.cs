namespace CourseTests;

/// <summary>
/// The course's root folder: the nearest one above the test binaries that holds Course.sln. Tests run from
/// artifacts/bin/…/ inside the course, so the search always ends there; shared by the test projects as a linked
/// source file, like <see cref="ChildProcess"/>.
/// </summary>
internal static class CourseRoot
{
    public static string Path { get; } = Find(AppContext.BaseDirectory);

    /// <exception cref="InvalidOperationException">No folder above <paramref name="start"/> holds Course.sln.</exception>
    public static string Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Course.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Course.sln in {start} or any folder above it");
    }
}

namespace CourseSite.Tests;

/// <summary>The sample notebooks, written once (their still needs a browser) for the tests that build sites from them.</summary>
public sealed class SampleFixture : IAsyncLifetime
{
    public string Notebooks { get; private set; } = "";

    public async Task InitializeAsync() => Notebooks = await SampleNotebooks.WriteAsync();

    public Task DisposeAsync()
    {
        if (Directory.Exists(Notebooks)) Directory.Delete(Notebooks, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A fresh, not yet existing folder for a site, under a temporary folder the test deletes.</summary>
    public static string NewSiteFolder(out string parent)
    {
        parent = Directory.CreateTempSubdirectory("course-site-").FullName;
        return Path.Combine(parent, "site");
    }
}

[CollectionDefinition(Name)]
public sealed class SampleCollection : ICollectionFixture<SampleFixture>
{
    public const string Name = "sample notebooks";
}

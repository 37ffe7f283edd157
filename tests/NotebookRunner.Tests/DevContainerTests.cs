using System.Text.Json;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

/// <summary>
/// The container files against what the README promises and what tools/setup.sh needs, without building an
/// image (tools/containers.sh builds and runs them): devcontainer.json as VS Code reads it (JSON with
/// comments), its runArgs the least flags the README documents, both images installing what setup.sh checks
/// for and running as an ordinary user.
/// </summary>
public partial class DevContainerTests
{
    private static readonly string DevContainerFolder = Path.Combine(CourseLayout.Root, ".devcontainer");

    private static JsonElement DevContainer()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(DevContainerFolder, "devcontainer.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.Clone();
    }

    private static string Readme => File.ReadAllText(Path.Combine(CourseLayout.Root, "README.md"));

    [Fact]
    public void The_editor_installs_Polyglot_Notebooks_and_Jupyter()
    {
        var extensions = DevContainer().GetProperty("customizations").GetProperty("vscode").GetProperty("extensions")
            .EnumerateArray().Select(e => e.GetString()).ToList();

        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
        Assert.Contains("ms-toolsai.jupyter", extensions);
    }

    [Fact]
    public void Creating_the_container_sets_up_and_builds_the_course()
    {
        var devContainer = DevContainer();
        string command = new[] { "onCreateCommand", "postCreateCommand" }
            .Select(name => devContainer.TryGetProperty(name, out var value) ? value.GetString() : null)
            .Single(c => c is not null)!;

        Assert.StartsWith("tools/setup.sh", command);
        Assert.Contains("&& dotnet build Course.sln", command);
    }

    [Fact]
    public void RunArgs_are_exactly_the_least_flags_the_README_documents()
    {
        var runArgs = DevContainer().GetProperty("runArgs");
        // Chapter 00 reads this array to tell readers in containers what to pass: plain strings only.
        Assert.Equal(JsonValueKind.Array, runArgs.ValueKind);
        Assert.All(runArgs.EnumerateArray(), a => Assert.Equal(JsonValueKind.String, a.ValueKind));

        var documented = LeastFlags().Match(Readme);
        Assert.True(documented.Success, "README.md has no line '**Least flags:** `…`'");
        Assert.Equal(documented.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            runArgs.EnumerateArray().Select(a => a.GetString()!));
    }

    [Fact]
    public void The_Dev_Container_runs_as_the_ordinary_user_its_image_creates()
    {
        // The flags make /proc/sys writable: harmless to an ordinary user, not to root (README, "Containers").
        var devContainer = DevContainer();
        string user = devContainer.GetProperty("remoteUser").GetString()!;
        Assert.NotEqual("root", user);
        Assert.Equal(user, devContainer.GetProperty("containerUser").GetString());

        string dockerfile = File.ReadAllText(Path.Combine(DevContainerFolder, "Dockerfile"));
        Assert.Contains($"ARG USERNAME={user}\n", dockerfile);
        Assert.Matches(@"\nUSER \$\{USERNAME\}\s*$", dockerfile);
        Assert.DoesNotContain("sudo", Regex.Replace(dockerfile, "#.*", ""));
    }

    [Fact]
    public void The_course_image_runs_as_Binders_user_1000_and_never_as_root()
    {
        string dockerfile = File.ReadAllText(Path.Combine(CourseLayout.Root, "Dockerfile"));
        Assert.Contains("ARG NB_UID=1000\n", dockerfile);
        var users = Regex.Matches(dockerfile, @"^USER (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal("${NB_USER}", users[^1]);
        Assert.Contains("install-jupyter-kernel", dockerfile);
    }

    [Fact]
    public void Both_images_take_the_same_base_from_the_build_argument_devcontainer_json_passes()
    {
        string baseImage = DevContainer().GetProperty("build").GetProperty("args").GetProperty("BASE_IMAGE").GetString()!;
        foreach (var dockerfile in new[] { Path.Combine(DevContainerFolder, "Dockerfile"), Path.Combine(CourseLayout.Root, "Dockerfile") })
        {
            string text = File.ReadAllText(dockerfile);
            Assert.Contains($"ARG BASE_IMAGE={baseImage}\n", text);
            Assert.Contains("FROM ${BASE_IMAGE}\n", text);
        }
    }

    /// <summary>Every package tools/setup.sh may ask for, except Chromium, which Ubuntu ships only as a snap.</summary>
    [Fact]
    public void Both_images_install_what_setup_sh_checks_for()
    {
        string setup = File.ReadAllText(Path.Combine(CourseLayout.Root, "tools", "setup.sh"));
        var packages = SetupPackages().Matches(setup).Select(m => m.Groups["package"].Value)
            .Where(p => p is not "chromium" and not "iperf3").Distinct().ToList();
        Assert.True(packages.Count >= 8, $"found only {string.Join(", ", packages)} in tools/setup.sh");

        foreach (var dockerfile in new[] { Path.Combine(DevContainerFolder, "Dockerfile"), Path.Combine(CourseLayout.Root, "Dockerfile") })
        {
            var installed = AptInstall().Match(File.ReadAllText(dockerfile)).Groups["packages"].Value
                .Split([' ', '\\', '\n', ';'], StringSplitOptions.RemoveEmptyEntries);
            Assert.All(packages, p => Assert.Contains(p, installed));
        }
    }

    [GeneratedRegex(@"^\*\*Least flags:\*\* `([^`]*)`", RegexOptions.Multiline)]
    private static partial Regex LeastFlags();

    // want PACKAGE, or need_command COMMAND PACKAGE, in tools/setup.sh.
    [GeneratedRegex(@"(?:\bwant|need_command \S+) (?<package>[a-z0-9][a-z0-9.+-]+)\b")]
    private static partial Regex SetupPackages();

    [GeneratedRegex(@"apt-get install -y --no-install-recommends(?<packages>[^;]*);")]
    private static partial Regex AptInstall();
}

using System.Reflection;

namespace NetIpc.Notebooks.Tests;

/// <summary>
/// The kernel check: the course's own kernel (this test process loads the same FSharp.Core and Plotly.NET)
/// passes, an older or missing FSharp.Core stops the notebook with the remedy and both versions. The truth
/// is computed here another way: by reflection over loaded assemblies, not from metadata.
/// </summary>
public class KernelCheckTests
{
    private static Version PlotlyNeedsByReflection() =>
        Assembly.Load("Plotly.NET").GetReferencedAssemblies().Single(a => a.Name == "FSharp.Core").Version!;

    [Fact]
    public void The_required_version_is_the_fsharp_core_plotly_was_compiled_against()
    {
        Assert.Equal(PlotlyNeedsByReflection(), KernelCheck.RequiredFSharpCore);
    }

    [Fact]
    public void The_loaded_version_is_the_fsharp_core_this_process_runs()
    {
        Assert.Equal(typeof(Microsoft.FSharp.Core.FSharpOption<int>).Assembly.GetName().Version, KernelCheck.LoadedFSharpCore());
    }

    [Fact]
    public void The_course_kernel_passes()
    {
        Assert.True(typeof(Microsoft.FSharp.Core.FSharpOption<int>).Assembly.GetName().Version >= PlotlyNeedsByReflection(),
            "the course ships an FSharp.Core at least as new as Plotly.NET's");
        KernelCheck.EnsureChartsCanLoad();
        Assert.Null(KernelCheck.Problem(KernelCheck.LoadedFSharpCore(), KernelCheck.RequiredFSharpCore));
    }

    public static TheoryData<string> OlderThanRequired()
    {
        var required = KernelCheck.RequiredFSharpCore;
        var older = new TheoryData<string> { "5.0.0.0" }; // an old kernel's
        // Just below: a check by major version only, or one that let a higher build number win, would pass these.
        if (required.Minor > 0) older.Add(new Version(required.Major, required.Minor - 1, 9999, 9999).ToString());
        if (required.Revision > 0) older.Add(new Version(required.Major, required.Minor, required.Build, required.Revision - 1).ToString());
        else if (required.Build > 0) older.Add(new Version(required.Major, required.Minor, required.Build - 1, 9999).ToString());
        return older;
    }

    [Theory]
    [MemberData(nameof(OlderThanRequired))]
    public void An_older_fsharp_core_stops_the_notebook_with_the_remedy_and_both_versions(string loaded)
    {
        var required = KernelCheck.RequiredFSharpCore;
        var error = Assert.Throws<WrongKernelException>(() => KernelCheck.EnsureChartsCanLoad(Version.Parse(loaded), required));
        Assert.StartsWith(KernelCheck.Remedy.TrimEnd('.'), error.Message);
        Assert.EndsWith($"; this kernel loads FSharp.Core {loaded}, and the charts need {required} or newer.", error.Message);
        AssertOneSentence(error.Message);
    }

    [Fact]
    public void No_fsharp_core_at_all_stops_the_notebook_and_says_so()
    {
        var error = Assert.Throws<WrongKernelException>(() => KernelCheck.EnsureChartsCanLoad(null, new Version(10, 1, 0, 0)));
        Assert.StartsWith(KernelCheck.Remedy.TrimEnd('.'), error.Message);
        Assert.EndsWith("; this kernel has no FSharp.Core, and the charts need 10.1.0.0 or newer.", error.Message);
        AssertOneSentence(error.Message);
    }

    [Theory]
    [InlineData("10.1.0.0", "10.1.0.0")]
    [InlineData("10.1.0.1", "10.1.0.0")]
    [InlineData("11.0.0.0", "10.1.0.0")]
    public void The_required_version_or_a_newer_one_passes(string loaded, string required)
    {
        Assert.Null(KernelCheck.Problem(Version.Parse(loaded), Version.Parse(required)));
        KernelCheck.EnsureChartsCanLoad(Version.Parse(loaded), Version.Parse(required));
    }

    [Fact]
    public void The_wrong_kernel_message_prints_without_a_stack_trace()
    {
        var error = Assert.Throws<WrongKernelException>(() => KernelCheck.EnsureChartsCanLoad(new Version(5, 0), new Version(10, 1)));
        Assert.Equal(error.Message, error.ToString());
    }

    [Fact]
    public void An_assembly_without_fsharp_core_is_named_rather_than_read_as_no_requirement()
    {
        string path = typeof(NetIpc.Proc.ProcNet).Assembly.Location; // the core library references no FSharp.Core
        var error = Assert.Throws<InvalidOperationException>(() => KernelCheck.RequiredFSharpCoreOf(path));
        Assert.Equal($"{path} does not reference FSharp.Core.", error.Message);
    }

    /// <summary>The learner reads one line: what the stock-kernel test in NotebookRunner.Tests holds the message to.</summary>
    private static void AssertOneSentence(string message) =>
        Assert.Single(message.Trim().Split(". ", StringSplitOptions.RemoveEmptyEntries));
}

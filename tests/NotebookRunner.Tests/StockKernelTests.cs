using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;

namespace NotebookRunner.Tests;

/// <summary>
/// A learner who lands in the stock kernel (settings not applied) must get one sentence saying what
/// to do, not a FileLoadException. Installs the exact stock tool version VS Code uses.
/// </summary>
[Trait("Category", TestCategory.Processes)]
public class StockKernelTests
{
    private const string StockToolVersion = "1.0.712001";

    [Fact]
    public async Task The_setup_cell_in_the_stock_kernel_says_in_one_sentence_what_to_run()
    {
        var tool = InstallStockTool();
        using var connector = new StdIoKernelConnector([tool, "stdio"], "stock", new Uri("kernel://stock-kernel-test"), new DirectoryInfo(CourseLayout.Notebooks));
        using var csharp = await NotebookRunner.KernelProcess.ConnectAsync(connector, "csharp");

        var setup = await csharp.SendAsync(new SubmitCode(CourseKernelTests.FirstCodeCell("00-start-here.ipynb")));

        var failure = Assert.Single(setup.Events.OfType<CommandFailed>()).Message;
        Assert.Contains("stock .NET Interactive kernel", failure);
        Assert.Contains("dotnet build Course.sln", failure);
        Assert.DoesNotContain("FileLoadException", failure);
        Assert.DoesNotContain("FileNotFoundException", failure);
        Assert.DoesNotContain("   at ", failure); // no stack trace
        Assert.Single(failure.Trim().Split(". ", StringSplitOptions.RemoveEmptyEntries)); // one sentence
    }

    private static string InstallStockTool()
    {
        var toolPath = Path.Combine(CourseLayout.Root, "artifacts", "stock-kernel", StockToolVersion);
        var shim = Path.Combine(toolPath, "dotnet-interactive");
        if (File.Exists(shim)) return shim;
        var install = Processes.Run("dotnet",
            ["tool", "install", "--tool-path", toolPath, "microsoft.dotnet-interactive", "--version", StockToolVersion],
            CourseLayout.Root, TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0 && File.Exists(shim), "could not install the stock kernel:\n" + install);
        return shim;
    }
}

using System.Diagnostics;
using NetIpc.Commands;

namespace NetIpc.Tests.Tools;

public class ExternalCommandTests
{
    [LinuxFact]
    public void Output_error_and_exit_code_come_back_and_a_failure_names_all_three()
    {
        var result = ExternalCommand.Run("sh", ["-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(10));
        Assert.Equal((3, "out\n", "err\n"), (result.ExitCode, result.StandardOutput, result.StandardError));
        var error = Assert.Throws<InvalidOperationException>(() => result.EnsureSuccess());
        Assert.Equal("sh -c echo out; echo err >&2; exit 3 exited with 3: err", error.Message);
    }

    [LinuxFact]
    public void Input_reaches_the_child_and_a_large_output_does_not_block_it()
    {
        var result = ExternalCommand.Run("sh", ["-c", "cat; head -c 1000000 /dev/zero"], TimeSpan.FromSeconds(10), input: "hello\n");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("hello\n", result.StandardOutput);
        Assert.Equal(6 + 1_000_000, result.StandardOutput.Length);
    }

    [LinuxFact]
    public void A_child_past_its_limit_is_killed_with_what_it_started()
    {
        var watch = Stopwatch.StartNew();
        // The grandchild (sleep) would keep the pipes open after its parent died: the tree must go.
        var error = Assert.Throws<TimeoutException>(() =>
            ExternalCommand.Run("sh", ["-c", "echo started >&2; sleep 30 & wait"], TimeSpan.FromMilliseconds(500)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"returned after {watch.Elapsed}");
        Assert.Contains("did not finish within 0.5 s", error.Message);
        Assert.Contains("started", error.Message);
    }

    [Fact]
    public void A_program_that_is_not_installed_is_named()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ExternalCommand.Run("no-such-program-netipc"));
        Assert.Contains("no-such-program-netipc", error.Message);
    }
}

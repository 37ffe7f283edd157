using System.Text.Json.Nodes;

namespace NotebookRunner.Tests;

/// <summary>
/// A machine that cannot run an experiment live (not root, no namespaces) must not quietly replace a
/// committed live output with a recording. The experiment cell below shows what the library shows:
/// the live source text, or the label of a real <c>NetIpc.Recording</c>, chosen by a file next to the
/// notebook, so one notebook can be run "on two machines".
/// </summary>
[Trait("Category", TestCategory.Processes)]
public class LiveOutputsTests
{
    private const string Live = "live: measured just now on this machine";

    private const string ExperimentCell =
        "// the experiment\n" +
        "display(System.IO.File.Exists(\"recorded-on\") ? new NetIpc.Recording<int>(\"Linux 6.1.0\", System.IO.File.ReadAllText(\"recorded-on\"), 0).Label : \"" + Live + "\");";

    private static string Notebook(ScratchFolder scratch) =>
        TestNotebooks.Write(scratch.File("experiment.ipynb"), TestNotebooks.SetupCell, ExperimentCell, "6 * 7");

    private static void ShowLive(ScratchFolder scratch) => File.Delete(scratch.File("recorded-on"));

    private static void ShowRecording(ScratchFolder scratch, string date) => File.WriteAllText(scratch.File("recorded-on"), date);

    /// <summary>What the experiment cell (cell 3) shows in the file; its source names both texts, so only outputs count.</summary>
    private static string Shown(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]![2]!["outputs"]!.ToJsonString();

    private static ProcessResult RunWritten(string path, params string[] options)
    {
        var run = Processes.RunRunner([.. options, path]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("outputs written", run.StdErr);
        return run;
    }

    [Fact]
    public void A_live_output_is_not_replaced_by_a_recording_and_the_cell_is_named()
    {
        using var scratch = CourseLayout.Scratch();
        var path = Notebook(scratch);
        RunWritten(path);
        var live = File.ReadAllText(path);
        Assert.Contains(Live, Shown(path));

        ShowRecording(scratch, "2025-01-01");
        var run = Processes.RunRunner(path);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("1 passed, 0 failed", run.StdErr);
        Assert.Contains("NOT written (live outputs would become recordings)", run.StdErr);
        Assert.Contains("NOT WRITTEN artifacts/test-scratch/", run.StdErr);
        Assert.Contains("experiment.ipynb: live outputs would become recordings in 1 cell:", run.StdErr);
        Assert.Contains("    cell 3: // the experiment", run.StdErr); // cell 1 is markdown, cell 2 the setup
        Assert.DoesNotContain("cell 2:", run.StdErr);
        Assert.DoesNotContain("cell 4:", run.StdErr);
        Assert.Contains("--allow-recorded", run.StdErr);
        Assert.Equal(live, File.ReadAllText(path));
    }

    [Fact]
    public void Allow_recorded_writes_the_recording_and_names_the_cells_that_became_recordings()
    {
        using var scratch = CourseLayout.Scratch();
        var path = Notebook(scratch);
        RunWritten(path);

        ShowRecording(scratch, "2025-01-01");
        var run = RunWritten(path, "--allow-recorded");

        Assert.Contains("RECORDED artifacts/test-scratch/", run.StdErr);
        Assert.Contains("experiment.ipynb: written with --allow-recorded; these cells showed a live run and show a recording now:", run.StdErr);
        Assert.Contains("    cell 3: // the experiment", run.StdErr);
        Assert.Contains("RECORDED on 2025-01-01 with Linux 6.1.0", Shown(path));
        Assert.DoesNotContain(Live, Shown(path));
    }

    [Fact]
    public void A_recording_replaced_by_a_recording_or_by_a_live_run_is_written()
    {
        using var scratch = CourseLayout.Scratch();
        var path = Notebook(scratch);
        ShowRecording(scratch, "2025-01-01");
        RunWritten(path); // never run before: nothing live to lose
        Assert.Contains("on 2025-01-01", Shown(path));

        ShowRecording(scratch, "2025-02-02");
        var again = RunWritten(path);
        Assert.Contains("on 2025-02-02", Shown(path));
        Assert.DoesNotContain("RECORDED artifacts/", again.StdErr); // nothing was live before, so nothing to report

        ShowLive(scratch);
        RunWritten(path);
        Assert.Contains(Live, Shown(path));
        Assert.DoesNotContain("RECORDED", Shown(path));
    }

    [Fact]
    public void Check_mode_runs_a_downgrade_without_complaint_and_writes_nothing()
    {
        using var scratch = CourseLayout.Scratch();
        var path = Notebook(scratch);
        RunWritten(path);
        var live = File.ReadAllText(path);

        ShowRecording(scratch, "2025-01-01");
        var run = Processes.RunRunner("--check", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("NOT WRITTEN", run.StdErr);
        Assert.Equal(live, File.ReadAllText(path));
    }
}

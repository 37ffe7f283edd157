using System.CommandLine;
using NotebookRunner;

var paths = new Argument<string[]>("notebooks")
{
    Description = "Notebooks or folders of notebooks to run, in order (default: the course's notebooks/ folder).",
    Arity = ArgumentArity.ZeroOrMore,
};
var check = new Option<bool>("--check") { Description = "Execute without writing outputs back." };
var cellTimeout = new Option<int>("--cell-timeout") { Description = "Seconds one cell may run before it is stopped.", DefaultValueFactory = _ => 120 };
var notebookTimeout = new Option<int>("--notebook-timeout") { Description = "Seconds one notebook may run in all.", DefaultValueFactory = _ => 600 };
var allowRecorded = new Option<bool>("--allow-recorded")
{
    Description = $"Write a notebook even where a cell that showed a live run now shows a recording ({NetIpc.RecordedMarkers.On}…, or {NetIpc.RecordedMarkers.NotThisMachine}).",
};
var noStills = new Option<bool>("--no-stills")
{
    Description = "Write outputs without a PNG still beside each chart (no Chromium needed; GitHub and nbconvert then show no chart).",
};

var answers = new Option<Answers[]>("--answers")
{
    Description = "Fill the exercise cells before running: AsWritten (the cells as they are), Solutions or Wrong (from solutions/NN-*.md). Anything but AsWritten never writes. "
        + "Given more than once (--answers AsWritten --answers Solutions), each chapter runs once with the first, and right after its last exercise cell its exercise cells alone run again in the same kernel with each of the others, each graded apart.",
    DefaultValueFactory = _ => [Answers.AsWritten],
    Arity = ArgumentArity.OneOrMore,
    AllowMultipleArgumentsPerToken = false,
};
var grade = new Option<bool>("--grade")
{
    Description = "Run without writing and report every exercise as correct, wrong, not answered or not checked, with a total. Goes on past an exercise cell that fails; exits 0 whatever the answers.",
};

var root = new RootCommand($"""
    Runs the course's notebooks headlessly in the course kernel and writes fresh outputs back.

    Exit codes: {Runner.Success} every notebook passed; {Runner.CellsFailed} a cell failed; {Runner.BadInput} bad input (a missing or unreadable notebook, a bad option);
    {Runner.LiveOutputsKept} every notebook passed, but some were not written because cells that showed a live run would now show a recording (see --allow-recorded).
    """)
{
    paths, check, cellTimeout, notebookTimeout, allowRecorded, noStills, answers, grade,
};
foreach (var seconds in new[] { cellTimeout, notebookTimeout })
{
    seconds.Validators.Add(result =>
    {
        // A token that is not a number at all gets System.CommandLine's own conversion error.
        if (result.Tokens.LastOrDefault()?.Value is { } token && int.TryParse(token, out var value) && value <= 0)
            result.AddError($"{seconds.Name} must be a positive number of seconds.");
    });
}
root.SetAction(async parse =>
{
    var options = new RunOptions(
        parse.GetValue(paths) ?? [],
        parse.GetValue(check),
        new RunLimits(TimeSpan.FromSeconds(parse.GetValue(cellTimeout)), TimeSpan.FromSeconds(parse.GetValue(notebookTimeout))),
        parse.GetValue(allowRecorded),
        Stills: !parse.GetValue(noStills),
        Answers: parse.GetValue(answers) is [var first, ..] ? first : Answers.AsWritten,
        Grade: parse.GetValue(grade))
    {
        Regrade = parse.GetValue(answers) is [_, .. var more] ? more : [],
    };
    return await Runner.RunAsync(options, Console.Error);
});

var parsed = root.Parse(args);
int exitCode;
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Usage: NotebookRunner [notebooks...] [--check] [--cell-timeout N] [--notebook-timeout N] [--allow-recorded] [--no-stills] [--grade] [--answers AsWritten|Solutions|Wrong]  (--help for more)");
    exitCode = Runner.BadInput;
}
else
{
    exitCode = await parsed.InvokeAsync();
}
Console.Error.Flush();
// Exits without waiting for anything still pending on a kernel process that was ended mid-cell.
Environment.Exit(exitCode);

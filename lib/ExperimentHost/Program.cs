using System.CommandLine;
using NetIpc;

// The parent (IsolatedExperiment.InChild) reads stdout as the result and stderr's text as the failure.
var probe = new Command("probe", "Tries every capability in this process and prints the answers as JSON.");
probe.SetAction(_ =>
{
    Console.Out.Write(IsolatedExperiment.ProbeHere());
    return 0;
});

var name = new Argument<string>("experiment") { Description = "The experiment's name, e.g. two-hosts." };
var run = new Command("run", "Runs one isolated experiment here: its arguments as JSON on stdin, its result as JSON on stdout.") { name };
run.SetAction(parse =>
{
    var experiment = IsolatedExperiment.Find(parse.GetValue(name)!);
    Console.Out.Write(experiment.RunHere(Console.In.ReadToEnd()));
    return 0;
});

var root = new RootCommand("Runs the course's isolated experiments inside a child process.") { probe, run };
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine(error.Message);
    return 2;
}
try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    // The first line is what the parent shows; the type lets it rethrow a timeout as a timeout.
    Console.Error.WriteLine($"{e.GetType().FullName}: {e.Message.ReplaceLineEndings(" ")}");
    Console.Error.WriteLine(e);
    return 70;
}

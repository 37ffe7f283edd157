using System.CommandLine;
using NetIpc.Isolation;

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

var port = new Argument<int>("port") { Description = "The loopback port to share." };
var backlog = new Argument<int>("backlog") { Description = "listen()'s backlog." };
var holdPort = new Command("hold-port", "Listens on 127.0.0.1:<port> with SO_REUSEPORT beside another process, until stdin closes (chapter 06).") { port, backlog };
holdPort.SetAction(parse =>
{
    NetIpc.Tcp.PortHolder.HoldHere(parse.GetValue(port), parse.GetValue(backlog), Console.In, Console.Out, TimeSpan.FromSeconds(60));
    return 0;
});

var socketPath = new Argument<string>("socket") { Description = "The UNIX socket path to connect to." };
var receiveFd = new Command("receive-fd", "Connects to <socket>, receives a descriptor (SCM_RIGHTS), writes a line through it and prints what it saw as JSON (chapter 11).") { socketPath };
receiveFd.SetAction(parse =>
{
    NetIpc.Unix.UnixSockets.ReceiveDescriptorHere(parse.GetValue(socketPath)!, Console.Out);
    return 0;
});

var root = new RootCommand("Runs the course's isolated experiments inside a child process.") { probe, run, holdPort, receiveFd };
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

using System.CommandLine;
using CourseKernel;

// Command line shaped like the stock tool's, because VS Code passes the same arguments to whatever
// kernelTransportArgs names:  CourseKernel [vscode] stdio --working-dir <dir> [--kernel-host <name>]
var workingDir = new Option<DirectoryInfo?>("--working-dir") { Description = "Directory the cells run in." };
var kernelHost = new Option<string?>("--kernel-host") { Description = "Name of this kernel host (kernel://<name>)." };
var stdio = new Command("stdio", "Serve the kernel over standard input and output (the protocol VS Code speaks).")
{
    workingDir, kernelHost,
};

// "[vscode]" is a frontend tag, not an argument; the stock tool reads it the same way.
const string VSCodeTag = "[vscode]";
bool fromVSCode = args.Contains(VSCodeTag);
stdio.SetAction(async (parse, cancellation) =>
{
    if (parse.GetValue(workingDir) is { } dir)
        Environment.CurrentDirectory = dir.FullName;
    return await StdioHost.RunAsync(parse.GetValue(kernelHost), fromVSCode, cancellation);
});

var root = new RootCommand("The course's .NET Interactive kernel (C#, with the FSharp.Core Plotly.NET needs).") { stdio };
return await root.Parse(args.Where(a => a != VSCodeTag).ToArray()).InvokeAsync();

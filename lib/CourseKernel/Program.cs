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

// What a Jupyter kernelspec starts: CourseKernel jupyter {connection_file}. The front end starts the
// process in the notebook's folder, so there is no --working-dir.
var connectionFile = new Argument<string>("connection_file") { Description = "The connection file the Jupyter front end wrote." };
var jupyter = new Command("jupyter", "Serve the kernel over the Jupyter messaging protocol (Jupyter Notebook, JupyterLab, VS Code's Jupyter extension, nbconvert).")
{
    connectionFile,
};
jupyter.SetAction(async (parse, cancellation) => await CourseKernel.Jupyter.JupyterHost.RunAsync(parse.GetValue(connectionFile)!, cancellation));

var prefix = new Option<DirectoryInfo?>("--prefix") { Description = "Install under DIR/share/jupyter and DIR/etc/jupyter instead of the user's Jupyter folders." };
var install = new Command("install-jupyter-kernel", "Write the .net-csharp kernelspec that starts this kernel in Jupyter mode.")
{
    prefix,
};
install.SetAction(parse =>
{
    CourseKernel.Jupyter.KernelSpecInstaller.Install(parse.GetValue(prefix)?.FullName, Console.Out);
    return 0;
});

var root = new RootCommand("The course's .NET Interactive kernel (C#, with the FSharp.Core Plotly.NET needs).") { stdio, jupyter, install };
return await root.Parse(args.Where(a => a != VSCodeTag).ToArray()).InvokeAsync();

using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using NetIpc.Notebooks.Charts;
using NetIpc.Notebooks.Exercises;
using NetIpc.Notebooks.Tables;

namespace NetIpc.Notebooks;

/// <summary>What the first cell of a chapter reports once the course is ready.</summary>
public sealed record SetupSummary(string Library, string Kernel, string FSharpCore, string Machine);

/// <summary>
/// The one setup every chapter's first cell runs: kernel check, then the DataFrame and chart
/// formatters. Works the same in VS Code's kernel and in the headless runner.
/// </summary>
public static class Chapter
{
    public static SetupSummary Setup()
    {
        KernelCheck.EnsureChartsCanLoad();
        var kernel = Kernel.Root ?? throw new InvalidOperationException("Chapter.Setup() must be called from a notebook cell.");
        RegisterFormatters(kernel);
        return new SetupSummary(
            Library: $"NetIpc {typeof(EnvironmentReport).Assembly.GetName().Version}",
            Kernel: kernel.Name,
            FSharpCore: KernelCheck.LoadedFSharpCore()!.ToString(),
            Machine: EnvironmentReport.DescribeMachine());
    }

    /// <summary>
    /// The TCP sockets of one port (a server and its clients) joined to their processes, like
    /// <c>ss -tanp sport = :port or dport = :port</c>; on a machine without /proc/net, a sentence saying so.
    /// </summary>
    public static object Tcp(int port) =>
        Proc.ProcNet.Self.Exists
            ? Proc.SocketTable.Tcp().Involving(port).ToDataFrame()
            : "this machine has no /proc/net: the socket table cannot be shown here (chapter 01 shows a recorded one)";

    // Kept out of Setup so the JIT does not resolve Plotly's FSharp.Core before the check has run.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterFormatters(Kernel kernel)
    {
        IKernelExtension dataFrames = new Microsoft.Data.Analysis.Interactive.DataFrameKernelExtension();
        dataFrames.OnLoadAsync(kernel).GetAwaiter().GetResult();
        TableText.Register(); // the extension draws HTML only: tables get their aligned text here
        ChartFormatter.Register(); // not Plotly.NET.Interactive's: see ChartFormatter for why
        RegisterAddressFormatters();
        RegisterExerciseFormatter();
    }

    // One line, the same in every front end: ./run-course --grade reads it back from the text/plain output.
    private static void RegisterExerciseFormatter()
    {
        Formatter.Register<ExerciseResult>((result, writer) => writer.Write(result.ToString()), "text/plain");
        Formatter.Register<ExerciseResult>((result, writer) =>
        {
            string colour = result.Verdict switch { Verdict.Correct => "#1a7f37", Verdict.Wrong => "#cf222e", _ => "#6e7781" };
            writer.Write($"<div style=\"color:{colour}\">{System.Net.WebUtility.HtmlEncode(result.ToString())}</div>");
        }, "text/html");
        // Both, always: front ends draw the HTML, the grader and nbconvert's text exporters read the text.
        Formatter.SetPreferredMimeTypesFor(typeof(ExerciseResult), "text/html", "text/plain");
    }

    // The default formatter lists every property, and some of IPAddress's throw for the other family
    // (ScopeId of an IPv4 address): show addresses and endpoints the way they are written instead.
    private static void RegisterAddressFormatters()
    {
        static void Text<T>() where T : class
        {
            Formatter.Register<T>((value, writer) => writer.Write(value.ToString()), "text/plain");
            Formatter.Register<T>((value, writer) => writer.Write(System.Net.WebUtility.HtmlEncode(value.ToString())), "text/html");
        }
        Text<System.Net.IPAddress>();
        Text<System.Net.IPEndPoint>();
    }
}

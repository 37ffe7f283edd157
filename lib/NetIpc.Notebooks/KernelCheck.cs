using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NetIpc.Notebooks;

/// <summary>
/// Thrown when the notebook runs in a kernel that cannot load the course's charts. Its text is the one
/// sentence the learner needs, so it prints without a stack trace.
/// </summary>
public sealed class WrongKernelException(string message) : Exception(message)
{
    public override string ToString() => Message;
}

/// <summary>
/// Plotly.NET is compiled against a newer FSharp.Core than the stock .NET Interactive kernel loads.
/// The check compares the two versions from metadata only, before any chart type is touched,
/// because touching one in the wrong kernel fails with an unreadable FileLoadException.
/// </summary>
public static class KernelCheck
{
    public const string Remedy =
        "This notebook is running in the stock .NET Interactive kernel, which cannot draw the course's charts: " +
        "run `dotnet build Course.sln` in the course folder, then choose \"Restart\" on the notebook " +
        "(VS Code reads .vscode/settings.json and starts the course kernel).";

    /// <summary>
    /// Read from Plotly.NET.dll's metadata next to this assembly, without loading it: in the wrong
    /// kernel even loading a Plotly type can fail.
    /// </summary>
    public static Version RequiredFSharpCore =>
        RequiredFSharpCoreOf(Path.Combine(Path.GetDirectoryName(typeof(KernelCheck).Assembly.Location)!, "Plotly.NET.dll"));

    /// <summary>The FSharp.Core version the assembly at <paramref name="path"/> was compiled against, from its metadata.</summary>
    public static Version RequiredFSharpCoreOf(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.AssemblyReferences)
        {
            var reference = metadata.GetAssemblyReference(handle);
            if (metadata.GetString(reference.Name) == "FSharp.Core") return reference.Version;
        }
        throw new InvalidOperationException($"{path} does not reference FSharp.Core.");
    }

    /// <summary>The FSharp.Core this process has loaded, or would load, or null if it cannot find one.</summary>
    public static Version? LoadedFSharpCore()
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core");
        if (loaded is not null) return loaded.GetName().Version;
        try
        {
            return Assembly.Load(new AssemblyName("FSharp.Core")).GetName().Version;
        }
        catch (IOException) // not found, or found but not loadable
        {
            return null;
        }
    }

    /// <summary>
    /// Why the charts cannot load in a kernel with FSharp.Core <paramref name="loaded"/> (null: none at all) when
    /// Plotly.NET needs <paramref name="required"/>, or null when they can. The versions are named, because the
    /// learner's next question is which kernel this is. Still one sentence: the learner reads one line, and the
    /// stock-kernel test holds the message to that.
    /// </summary>
    public static string? Problem(Version? loaded, Version required) => loaded switch
    {
        null => $"{Remedy.TrimEnd('.')}; this kernel has no FSharp.Core, and the charts need {required} or newer.",
        _ when loaded < required => $"{Remedy.TrimEnd('.')}; this kernel loads FSharp.Core {loaded}, and the charts need {required} or newer.",
        _ => null,
    };

    public static void EnsureChartsCanLoad() => EnsureChartsCanLoad(LoadedFSharpCore(), RequiredFSharpCore);

    /// <summary>Throws <see cref="WrongKernelException"/> with <see cref="Problem"/>'s sentence when there is one.</summary>
    public static void EnsureChartsCanLoad(Version? loaded, Version required)
    {
        if (Problem(loaded, required) is string problem)
            throw new WrongKernelException(problem);
    }
}

using System.Reflection;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace CourseKernel;

/// <summary>
/// Builds the kernel every notebook of the course runs in, whoever hosts it: a composite kernel with
/// a C# subkernel configured like the stock tool's (#r nuget with package extensions, kernel
/// helpers, value sharing, #!who, #!import), plus the html and value kernels. No F#, PowerShell or
/// Mermaid: the course does not use them, and they would bring back the FSharp.Core conflict.
/// </summary>
public static class CourseKernelFactory
{
    public const string CSharpKernelName = "csharp";

    /// <param name="interrupter">Lets an interrupt end a cell blocked on the kernel's thread; the host keeps it to aim interrupts at a cell.</param>
    public static CompositeKernel Create(CellInterrupter interrupter)
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective(OnPackagesResolved)
            .UseKernelHelpers()
            .UseValueSharing()
            .UseWho();

        var composite = new CompositeKernel("course");
        composite.Add(csharp, ["c#", "C#"]);
        composite.Add(new HtmlKernel());
        composite.Add(new KeyValueStoreKernel().UseWho());
        composite.DefaultKernelName = CSharpKernelName;
        composite.UseImportMagicCommand();
        interrupter.Attach(composite);

        // The stock tool's choice for notebook frontends: objects render as HTML, strings as text.
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        // ...and every object as text too, as ipykernel sends every value: jupyter console, nbconvert's text
        // exporters, screen readers and text diffs read text/plain only, and front ends that draw HTML still
        // prefer it. Types with preferences of their own (strings, charts, tables) keep theirs.
        Formatter.SetPreferredMimeTypesFor(typeof(object), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        return composite;
    }

    /// <summary>
    /// What the stock tool does after #r "nuget: …": reference the assemblies, then load any kernel
    /// extension the package ships in interactive-extensions/dotnet (that is how formatters such as
    /// the DataFrame table arrive). The stock loader lives in an assembly that is not published as a
    /// package, hence this small copy of its behaviour.
    /// </summary>
    private static async Task OnPackagesResolved(CSharpKernel kernel, IReadOnlyList<ResolvedPackageReference> packages)
    {
        kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
        foreach (var package in packages)
        {
            var extensionDir = Path.Combine(package.PackageRoot, "interactive-extensions", "dotnet");
            if (!Directory.Exists(extensionDir)) continue;
            foreach (var dll in Directory.EnumerateFiles(extensionDir, "*.dll"))
            {
                var assembly = Assembly.LoadFrom(dll);
                foreach (var type in assembly.GetExportedTypes().Where(t => typeof(IKernelExtension).IsAssignableFrom(t) && !t.IsAbstract))
                {
                    var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                    await extension.OnLoadAsync(kernel.RootKernel);
                }
            }
        }
    }
}

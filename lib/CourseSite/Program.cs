using System.CommandLine;
using CourseSite.Site;

const int Success = 0;
const int BadInput = 2;

var outFolder = new Option<string>("--out") { Description = "Folder to write the site to; replaced as a whole, and only if an earlier build made it.", DefaultValueFactory = _ => "site" };
var notebooks = new Option<string>("--notebooks") { Description = "Folder of the course's notebooks (NN-title.ipynb).", DefaultValueFactory = _ => "notebooks" };

var root = new RootCommand($"""
    Builds the static course site from the committed notebooks, without executing them: index.html with the
    chapter map, one page per chapter, plotly.js served from the site itself and each chart's still as fallback.
    Open <out>/index.html from disk or put the folder on any static host.

    Exit codes: {Success} the site was written; {BadInput} bad input (a missing folder, a notebook that is not valid JSON, a bad option); nothing is written then.
    """)
{
    outFolder, notebooks,
};
root.SetAction(parse =>
{
    try
    {
        var summary = SiteBuilder.Build(parse.GetValue(notebooks)!, parse.GetValue(outFolder)!);
        string unavailable = summary.Unavailable > 0 ? $", {summary.Unavailable} old chart outputs shown as not available (regenerate the notebooks to bring them back)" : "";
        Console.Error.WriteLine($"{summary.Folder}: {summary.Chapters.Count} chapters, {summary.Charts} charts{unavailable}, in {summary.Elapsed.TotalSeconds:0.0} s");
        return Success;
    }
    catch (SiteInputException e)
    {
        Console.Error.WriteLine($"site not built: {e.Message}");
        return BadInput;
    }
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Usage: CourseSite [--out DIR] [--notebooks DIR]  (--help for more)");
    return BadInput;
}
return await parsed.InvokeAsync();

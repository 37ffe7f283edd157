namespace NetIpc.Tests;

public class LayeringTests
{
    // Tools outside the course use the library for sockets and /proc; tables and charts are
    // NetIpc.Notebooks' business, and these packages would drag a notebook stack into every such tool.
    [Theory]
    [InlineData("Plotly.NET")]
    [InlineData("Plotly.NET.CSharp")]
    [InlineData("FSharp.Core")]
    [InlineData("Microsoft.Data.Analysis")]
    [InlineData("Microsoft.DotNet.Interactive")]
    public void The_library_references_no_presentation_assembly(string presentation)
    {
        var references = typeof(ByteOrder).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(presentation, references);
    }
}

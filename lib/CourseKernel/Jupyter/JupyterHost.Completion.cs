using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace CourseKernel.Jupyter;

/// <summary>complete_request and is_complete_request, and the cursor arithmetic between Jupyter and .NET.</summary>
public sealed partial class JupyterHost
{
    private JsonObject Complete(JsonObject content)
    {
        string code = (string?)content["code"] ?? "";
        int cursor = Utf16Offset(code, (int?)content["cursor_pos"] ?? code.Length);
        var position = ToLinePosition(code, cursor);
        var result = _kernel.SendAsync(new RequestCompletions(code, position)).GetAwaiter().GetResult();
        var produced = result.Events.OfType<CompletionsProduced>().FirstOrDefault();
        var matches = new JsonArray();
        int start = cursor, end = cursor;
        if (produced is not null)
        {
            foreach (var item in produced.Completions) matches.Add(item.InsertText ?? item.DisplayText);
            if (produced.LinePositionSpan is { } span)
            {
                start = FromLinePosition(code, span.Start);
                end = FromLinePosition(code, span.End);
            }
        }
        return new JsonObject
        {
            ["status"] = "ok", ["matches"] = matches,
            ["cursor_start"] = CodePointOffset(code, start), ["cursor_end"] = CodePointOffset(code, end),
            ["metadata"] = new JsonObject(),
        };
    }

    private static JsonObject IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script));
        return SyntaxFactory.IsCompleteSubmission(tree)
            ? new JsonObject { ["status"] = "complete" }
            : new JsonObject { ["status"] = "incomplete", ["indent"] = "" };
    }

    // Jupyter counts cursor positions in Unicode code points (protocol 5.2 on); .NET strings in UTF-16 units.
    private static int Utf16Offset(string text, int codePoints)
    {
        int i = 0;
        for (int n = 0; n < codePoints && i < text.Length; n++) i += char.IsSurrogatePair(text, i) ? 2 : 1;
        return i;
    }

    private static int CodePointOffset(string text, int utf16)
    {
        int n = 0;
        for (int i = 0; i < utf16 && i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1) n++;
        return n;
    }

    private static LinePosition ToLinePosition(string text, int offset)
    {
        int line = 0, lineStart = 0;
        for (int i = 0; i < offset && i < text.Length; i++)
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        return new LinePosition(line, offset - lineStart);
    }

    private static int FromLinePosition(string text, LinePosition position)
    {
        int offset = 0;
        for (int line = 0; line < position.Line && offset < text.Length; offset++)
            if (text[offset] == '\n') line++;
        return Math.Min(text.Length, offset + position.Character);
    }
}

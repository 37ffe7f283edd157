using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace CourseKernel.Jupyter;

/// <summary>The kernel's output events, turned into iopub messages.</summary>
public sealed partial class JupyterHost
{
    /// <summary>The kernel's output events as iopub messages, under the request whose cell produced them.</summary>
    private void PublishOutput(KernelEvent kernelEvent)
    {
        var parent = _outputParent;
        switch (kernelEvent)
        {
            case StandardOutputValueProduced stdout:
                Publish("stream", new JsonObject { ["name"] = "stdout", ["text"] = PlainText(stdout.FormattedValues) }, parent);
                break;
            case StandardErrorValueProduced stderr:
                Publish("stream", new JsonObject { ["name"] = "stderr", ["text"] = PlainText(stderr.FormattedValues) }, parent);
                break;
            case DisplayedValueUpdated updated:
                Publish("update_display_data", DisplayContent(updated.FormattedValues, updated.ValueId), parent);
                break;
            case DisplayedValueProduced displayed:
                Publish("display_data", DisplayContent(displayed.FormattedValues, displayed.ValueId), parent);
                break;
            case ReturnValueProduced returned:
                // A silent request (a front end's own probe) gets no execute_result, as in ipykernel.
                if ((bool?)parent?.Content["silent"] == true) break;
                var content = DisplayContent(returned.FormattedValues, valueId: null);
                content["execution_count"] = _executionCount;
                Publish("execute_result", content, parent);
                break;
        }
    }

    private static string PlainText(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? values.FirstOrDefault()?.Value ?? "";

    private static JsonObject DisplayContent(IReadOnlyCollection<FormattedValue> values, string? valueId)
    {
        var data = new JsonObject();
        foreach (var value in values.Where(v => !v.SuppressDisplay))
        {
            // nbformat stores JSON MIME types (application/vnd.plotly.v1+json) as JSON, not as a string:
            // renderers read the figure as an object.
            data[value.MimeType] = value.MimeType.EndsWith("json", StringComparison.Ordinal) && TryParse(value.Value) is { } json
                ? json
                : value.Value;
        }
        var content = new JsonObject { ["data"] = data, ["metadata"] = new JsonObject() };
        if (valueId is not null) content["transient"] = new JsonObject { ["display_id"] = valueId };
        return content;
    }

    private static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}

using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookRunner;

/// <summary>
/// Turns the kernel's events for one cell into notebook outputs, the way a notebook frontend
/// shows them: displays in order, a display that is updated later replaced in place, the cell's
/// return value last.
/// </summary>
internal sealed class CellOutputs
{
    private readonly List<InteractiveDocumentOutputElement> _outputs = [];
    private readonly Dictionary<string, DisplayElement> _displaysByValueId = [];

    public IReadOnlyList<InteractiveDocumentOutputElement> Outputs => _outputs;

    public string? Failure { get; private set; }

    public void Add(KernelEvent kernelEvent)
    {
        switch (kernelEvent)
        {
            case DisplayedValueUpdated updated when updated.ValueId is not null && _displaysByValueId.TryGetValue(updated.ValueId, out var existing):
                existing.Data.Clear();
                foreach (var (mime, value) in ToData(updated.FormattedValues)) existing.Data[mime] = value;
                break;
            case DisplayedValueProduced displayed:
                var display = new DisplayElement(ToData(displayed.FormattedValues));
                if (displayed.ValueId is not null) _displaysByValueId[displayed.ValueId] = display;
                _outputs.Add(display);
                break;
            case ReturnValueProduced returned:
                var result = new ReturnValueElement();
                foreach (var (mime, value) in ToData(returned.FormattedValues)) result.Data[mime] = value;
                _outputs.Add(result);
                break;
            case StandardOutputValueProduced stdout:
                AddText("stdout", stdout.FormattedValues);
                break;
            case StandardErrorValueProduced stderr:
                AddText("stderr", stderr.FormattedValues);
                break;
            case CommandFailed failed:
                Failure = failed.Message;
                _outputs.Add(new ErrorElement("Error", failed.Message, []));
                break;
        }
    }

    public void SetExecutionCount(int count)
    {
        foreach (var result in _outputs.OfType<ReturnValueElement>()) result.ExecutionOrder = count;
    }

    private void AddText(string stream, IReadOnlyCollection<FormattedValue> values)
    {
        var text = values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? "";
        // Consecutive writes to one stream form one output, as in Jupyter.
        if (_outputs.Count > 0 && _outputs[^1] is TextElement last && last.Name == stream)
            _outputs[^1] = new TextElement(last.Text + text, stream);
        else
            _outputs.Add(new TextElement(text, stream));
    }

    private static Dictionary<string, object> ToData(IReadOnlyCollection<FormattedValue> values) =>
        values.Where(v => !v.SuppressDisplay)
              .GroupBy(v => v.MimeType)
              .ToDictionary(g => g.Key, g => (object)g.Last().Value);
}

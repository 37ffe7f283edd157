using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

/// <summary>
/// The sentences the course generates — check lines, verdicts, comparisons printed by code cells — carry one idea
/// each and stay short; the details go into a table beside them. This reads every committed notebook's code-cell
/// outputs and fails on any sentence longer than <see cref="GeneratedSentences.MaxWords"/> words (the aim is 40).
/// </summary>
public class SentenceLengthTests
{
    [Fact]
    public void No_generated_sentence_in_the_committed_outputs_is_longer_than_sixty_words()
    {
        var tooLong = new List<string>();
        foreach (var path in Directory.GetFiles(CourseLayout.Notebooks, "*.ipynb").Order())
        {
            var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i]!;
                if ((string?)cell["cell_type"] != "code") continue;
                foreach (var sentence in GeneratedSentences.Of(GeneratedSentences.OutputTexts(cell)))
                {
                    int words = GeneratedSentences.Words(sentence);
                    if (words > GeneratedSentences.MaxWords)
                    {
                        tooLong.Add($"{Path.GetFileName(path)} cell '{(string?)cell["id"]}' (#{i}): {words} words: \"{Start(sentence)}\"");
                    }
                }
            }
        }
        Assert.True(tooLong.Count == 0,
            $"{tooLong.Count} generated sentence(s) longer than {GeneratedSentences.MaxWords} words — one idea each, the details in a table:\n" + string.Join("\n", tooLong));
    }

    private static string Start(string sentence) => sentence.Length <= 90 ? sentence : sentence[..90] + "…";

    [Fact]
    public void Sentences_end_at_a_full_stop_before_a_capital_a_check_mark_or_a_digit_and_at_every_line_break()
    {
        string text = "✓ one write() of 200,000 bytes, first read() 32,741 bytes; 7 reads in all. A non-blocking write() took 65,482. " +
                      "✓ the next one EAGAIN! 3 messages came back whole, e.g. after 1.5 s. ✗ none lost? yes\nrow 1 without a stop\nrow 2";
        Assert.Equal(
        [
            "✓ one write() of 200,000 bytes, first read() 32,741 bytes; 7 reads in all.",
            "A non-blocking write() took 65,482.",
            "✓ the next one EAGAIN!",
            "3 messages came back whole, e.g. after 1.5 s.",
            "✗ none lost? yes",
            "row 1 without a stop",
            "row 2",
        ], GeneratedSentences.Of([text]));
    }

    [Fact]
    public void Words_are_the_tokens_with_a_letter_or_a_digit_and_a_sentence_of_sixty_one_fails()
    {
        Assert.Equal(6, GeneratedSentences.Words("✓ rx_queue +37,888 bytes — tx_queue −37,888 bytes → | ="));
        string sixty = string.Join(' ', Enumerable.Repeat("word", GeneratedSentences.MaxWords));
        Assert.Equal(GeneratedSentences.MaxWords, GeneratedSentences.Words(GeneratedSentences.Of([sixty]).Single()));
        Assert.Equal(GeneratedSentences.MaxWords + 1, GeneratedSentences.Words(GeneratedSentences.Of([sixty + " more"]).Single()));
    }

    [Fact]
    public void The_texts_read_are_stream_plain_text_and_markdown_not_charts_or_tables()
    {
        var cell = JsonNode.Parse("""
            { "cell_type": "code", "outputs": [
              { "output_type": "stream", "name": "stdout", "text": ["printed\n", "twice"] },
              { "output_type": "display_data", "data": { "text/plain": ["a sentence"] } },
              { "output_type": "display_data", "data": { "text/markdown": "some *markdown*" } },
              { "output_type": "execute_result", "data": { "text/html": "<table><tr><td>a cell</td></tr></table>" } },
              { "output_type": "execute_result", "data": { "text/html": "<table><tr><td>a row</td></tr></table>", "text/plain": "0  a row" } },
              { "output_type": "display_data", "data": { "application/vnd.plotly.v1+json": {}, "text/plain": "chart: a caption" } }
            ] }
            """)!;
        Assert.Equal(["printed\ntwice", "a sentence", "some *markdown*"], GeneratedSentences.OutputTexts(cell));
    }
}

/// <summary>
/// How the course's generated text is cut into sentences and counted, written down once:
/// <list type="bullet">
/// <item>The texts are a code cell's printed output (<c>stream</c>) and the <c>text/plain</c> and <c>text/markdown</c>
/// of its display and result outputs. An output that carries a chart is left out (its plain text is the chart's
/// caption), and so is HTML, and a table's text form beside its HTML: tables hold the details, not sentences.</item>
/// <item>A line break ends a sentence: the outputs print one statement, or one row of a text table, per line.</item>
/// <item>Within a line a sentence ends at '.', '!' or '?' followed by whitespace and then a capital letter, ✓, ✗, a
/// digit, or the end of the line. So "e.g. after" and "1.5 s" do not end one, and neither does ';'.</item>
/// <item>A word is a whitespace-separated token with at least one letter or digit in it: "—", "→", "=" and "|" are
/// not words; "+37,888", "rx_queue" and "0x45" are one word each.</item>
/// </list>
/// </summary>
internal static partial class GeneratedSentences
{
    public const int MaxWords = 60;

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}✓✗\p{Nd}])")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[\p{L}\p{Nd}]")]
    private static partial Regex LetterOrDigit();

    private static string Join(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue v => (string?)v ?? "",
        _ => "",
    };

    public static List<string> OutputTexts(JsonNode cell)
    {
        var texts = new List<string>();
        foreach (var output in cell["outputs"]?.AsArray() ?? [])
        {
            if ((string?)output!["output_type"] == "stream")
            {
                texts.Add(Join(output["text"]));
            }
            if (output["data"] is JsonObject data && !data.ContainsKey("application/vnd.plotly.v1+json") && !Join(data["text/html"]).Contains("<table", StringComparison.Ordinal))
            {
                texts.AddRange(new[] { "text/plain", "text/markdown" }.Where(data.ContainsKey).Select(k => Join(data[k])));
            }
        }
        return texts;
    }

    public static List<string> Of(IEnumerable<string> texts) =>
        texts.SelectMany(t => t.Split('\n'))
            .SelectMany(line => SentenceEnd().Split(line.Trim()))
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();

    public static int Words(string sentence) =>
        sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(w => LetterOrDigit().IsMatch(w));
}

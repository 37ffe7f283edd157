using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

/// <summary>
/// The committed notebooks read as a sceptical reader reads them: where a chapter's prose states a number or a
/// relation that its own outputs can confirm, the two must agree. Each rule first requires the sentence to be
/// there — a rule whose sentence was rewritten fails and must be moved with it, rather than pass on nothing —
/// then checks it against the outputs committed beside it.
/// </summary>
public class ProseAgainstOutputsTests
{
    private sealed record Notebook(string Name, JsonArray Cells)
    {
        public static Notebook Load(string prefix)
        {
            string path = Directory.GetFiles(CourseLayout.Notebooks, prefix + "-*.ipynb").Single();
            return new(Path.GetFileName(path), JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray());
        }

        private JsonNode Cell(string id) =>
            Cells.FirstOrDefault(c => (string?)c!["id"] == id) ?? throw new Xunit.Sdk.XunitException($"{Name}: no cell '{id}'");

        private static string Join(JsonNode? node) => node switch
        {
            JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
            JsonValue v => (string?)v ?? "",
            _ => "",
        };

        public string Source(string id) => Join(Cell(id)["source"]);

        /// <summary>Every text the cell's outputs show: plain text, markdown, and HTML with its tags removed.</summary>
        public string Outputs(string id) => string.Join("\n", (Cell(id)["outputs"]?.AsArray() ?? []).SelectMany(o =>
        {
            var texts = new List<string> { Join(o!["text"]) };
            if (o["data"] is JsonObject data)
            {
                texts.Add(Join(data["text/plain"]));
                texts.Add(Join(data["text/markdown"]));
                texts.Add(StripTags(Join(data["text/html"])));
            }
            return texts;
        }));

        /// <summary>The rows of the first HTML table a cell shows, each a list of cell texts (header row excluded).</summary>
        public List<string[]> TableRows(string id)
        {
            var html = (Cell(id)["outputs"]?.AsArray() ?? []).Select(o => Join(o!["data"]?["text/html"])).First(h => h.Contains("<table", StringComparison.Ordinal));
            return Regex.Matches(html, "<tr>(.*?)</tr>", RegexOptions.Singleline)
                .Select(m => Regex.Matches(m.Groups[1].Value, "<td>(.*?)</td>", RegexOptions.Singleline).Select(td => StripTags(td.Groups[1].Value).Trim()).ToArray())
                .Where(r => r.Length > 0).ToList();
        }

        /// <summary>Requires the prose the rule is about: a rewritten sentence must take its rule with it.</summary>
        public Match Says(string id, string pattern)
        {
            var m = Regex.Match(Source(id), pattern, RegexOptions.Singleline);
            Assert.True(m.Success, $"{Name} '{id}' no longer says /{pattern}/: move this rule with the sentence");
            return m;
        }

        public Match Shows(string id, string pattern)
        {
            var m = Regex.Match(Outputs(id), pattern, RegexOptions.Singleline);
            Assert.True(m.Success, $"{Name} '{id}' outputs do not show /{pattern}/");
            return m;
        }
    }

    private static string StripTags(string html) => WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " "));

    private static int Int(Group g) => int.Parse(g.Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static IEnumerable<string> AllNotebooks() => Directory.GetFiles(CourseLayout.Notebooks, "*.ipynb").Order();

    [Fact]
    public void No_output_of_any_chapter_shows_a_failed_check()
    {
        foreach (var path in AllNotebooks())
        {
            var nb = new Notebook(Path.GetFileName(path), JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray());
            foreach (var cell in nb.Cells.Where(c => (string?)c!["cell_type"] == "code"))
            {
                Assert.DoesNotContain("✗", nb.Outputs((string)cell!["id"]!));
            }
        }
    }

    [Fact]
    public void No_chapter_points_to_a_chapter_still_being_written()
    {
        foreach (var path in AllNotebooks())
        {
            Assert.DoesNotContain("being written", File.ReadAllText(path));
        }
    }

    [Fact]
    public void Ch07_the_prompt_the_run_and_the_ceiling_agree()
    {
        var nb = Notebook.Load("07");
        int asked = Int(nb.Says("accept-md", @"`backlog = (\d+)`").Groups[1]);
        var run = nb.Shows("accept-one", @"backlog (\d+): peak (\d+) queued");
        Assert.Equal(asked, Int(run.Groups[1]));
        nb.Says("accept-one-check", @"\*\*backlog \+ 1\*\*");
        Assert.Equal(asked + 1, Int(run.Groups[2]));
    }

    [Fact]
    public void Ch07_somaxconn_arithmetic_is_the_runs()
    {
        var nb = Notebook.Load("07");
        var min = nb.Says("somaxconn-check", @"min\((\d+), (\d+)\) = (\d+)");
        var peak = nb.Says("somaxconn-check", @"(\d+) \+ 1 = (\d+)");
        var run = nb.Shows("somaxconn-ns", @"asked for backlog (\d+), somaxconn (\d+): effective (\d+), peak (\d+)");
        Assert.Equal((Int(min.Groups[1]), Int(min.Groups[2]), Int(min.Groups[3])), (Int(run.Groups[1]), Int(run.Groups[2]), Int(run.Groups[3])));
        Assert.Equal(Math.Min(Int(run.Groups[1]), Int(run.Groups[2])), Int(run.Groups[3]));
        Assert.Equal((Int(peak.Groups[1]), Int(peak.Groups[2])), (Int(run.Groups[3]), Int(run.Groups[4])));
    }

    [Fact]
    public void Ch07_the_syn_queue_stops_where_one_of_the_two_kernel_forms_says()
    {
        var nb = Notebook.Load("07");
        var setup = nb.Says("somaxconn-check", @"\*\*Predict\*\*: (\d+) SYNs, backlog (\d+)");
        int syns = Int(setup.Groups[1]), backlog = Int(setup.Groups[2]);
        nb.Says("syn-queue-check", @"qlen >= backlog.*qlen > backlog");
        foreach (var row in nb.TableRows("syn-queue-counters"))
        {
            // index, tcp_syncookies, peak SYN_RECV, TCPReqQFullDrop, SyncookiesSent
            int peak = int.Parse(row[2], CultureInfo.InvariantCulture);
            Assert.Contains(peak, new[] { backlog, backlog + 1 });
            long beyond = long.Parse(row[1] == "0" ? row[3] : row[4], CultureInfo.InvariantCulture);
            Assert.Equal(syns - peak, beyond);
        }
    }

    [Fact]
    public void Ch08_the_kernel_granted_twice_what_was_asked()
    {
        var nb = Notebook.Load("08");
        nb.Says("fill-check", @"granted \*\*twice\*\* what was asked");
        var asked = nb.TableRows("fill-summary").Where(r => r[1] != "default").ToList();
        Assert.NotEmpty(asked);
        foreach (var row in asked)
        {
            Assert.Equal(2 * int.Parse(row[1], CultureInfo.InvariantCulture), int.Parse(row[2], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Ch09_time_wait_is_counted_down_from_sixty_seconds()
    {
        var nb = Notebook.Load("09");
        nb.Says("time-wait-check", @"counts down from 60 s");
        double left = double.Parse(nb.Shows("time-wait", @"(\d+\.\d+) s left").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(left, 55.0, 60.0);
    }

    [Fact]
    public void Ch10_tcp_read_everything_at_once_and_udp_drops_are_the_missing()
    {
        var nb = Notebook.Load("10");
        var said = nb.Says("boundaries-check", @"returned all (\d+) bytes in \*\*one\*\* read");
        var tcp = nb.TableRows("boundaries").Where(r => r[1] == "TCP").ToList();
        Assert.Single(tcp);
        Assert.Equal(Int(said.Groups[1]), int.Parse(tcp[0][4], CultureInfo.InvariantCulture));

        nb.Says("drops-check", @"equals sent − received exactly");
        foreach (var row in nb.TableRows("drops-table"))
        {
            // index, SO_RCVBUF granted, sent, received, drops column, Udp.RcvbufErrors
            long sent = long.Parse(row[2], CultureInfo.InvariantCulture), received = long.Parse(row[3], CultureInfo.InvariantCulture);
            Assert.Equal(sent - received, long.Parse(row[4], CultureInfo.InvariantCulture));
            Assert.True(long.Parse(row[5], CultureInfo.InvariantCulture) >= sent - received);
        }
    }

    [Fact]
    public void Ch10_loss_recovery_is_named_rack_tlp_and_loopback_order_is_the_runs()
    {
        var nb = Notebook.Load("10");
        nb.Says("lossy-check", "RACK-TLP");
        Assert.Matches(@"(none|\d+ of 1,000)", nb.Outputs("loopback-order"));
    }

    [Fact]
    public void Ch11_every_unix_datagram_arrived()
    {
        var nb = Notebook.Load("11");
        int said = Int(nb.Says("reliable-check", @"All (\d+) arrive").Groups[1]);
        var unix = nb.TableRows("reliable").First(r => r[1].StartsWith("UNIX", StringComparison.Ordinal));
        Assert.Contains(said.ToString(CultureInfo.InvariantCulture), unix);
    }

    [Fact]
    public void Ch13_the_iperf3_agreement_and_what_it_vouches_for()
    {
        var nb = Notebook.Load("13");
        nb.Says("iperf3-check", @"agree within 1\.75×");
        nb.Says("iperf3-check", @"holds the medians only to that spread");
        // The prose allows three outcomes; the output must say which one this run had.
        double ratio = double.Parse(nb.Shows("iperf3", @"÷ iperf3's = (\d+\.\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        double gap = Math.Max(ratio, 1 / ratio);
        nb.Shows("iperf3", ratio is >= 0.8 and <= 1.2 ? @"within ±20%" : gap <= 1.75 ? @"more than 20% apart, within 1\.75×" : @"more than 1\.75× apart\. But one tool's rounds lay up to");
        // Loopback computes no checksums (chapter 04): UNIX sockets cannot be credited with skipping them.
        Assert.DoesNotMatch(@"skip[^.]*checksums", nb.Source("sweep-check"));
    }
}

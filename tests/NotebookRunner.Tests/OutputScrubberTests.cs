namespace NotebookRunner.Tests;

public class OutputScrubberTests
{
    private static OutputScrubber Scrubber() => new([("/srv/course", "<course>"), ("/home/ada", "~")]);

    [Fact]
    public void The_same_guid_gets_the_same_stable_id_in_both_spellings()
    {
        var scrubber = Scrubber();
        var text = scrubber.Scrub(
            "<div id=\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"></div> renderPlotly_3f2504e04f8911d39a0c0305e82c3301(); other 9b2e8f5c-0000-4a1b-8c2d-123456789abc");
        Assert.Equal(
            "<div id=\"00000000-0000-4000-8000-000000000001\"></div> renderPlotly_00000000000000000000000000000001(); other 00000000-0000-4000-8000-000000000002",
            text);
    }

    [Fact]
    public void Ids_are_numbered_in_order_of_appearance_so_a_rerun_gives_the_same_text()
    {
        const string first = "a 11111111-2222-3333-4444-555555555555 b 66666666-7777-8888-9999-000000000000";
        const string second = "a aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee b ffffffff-0000-1111-2222-333333333333";
        Assert.Equal(Scrubber().Scrub(first), Scrubber().Scrub(second));
    }

    [Fact]
    public void Table_ids_are_renumbered_wherever_they_appear()
    {
        var html = "<table id=\"table_638712345678901234\"></table><script>page(638712345678901234, 2); keep 12345</script>";
        var scrubbed = Scrubber().ScrubTableIds(html);
        Assert.Equal("<table id=\"table_1\"></table><script>page(1, 2); keep 12345</script>", scrubbed);
    }

    [Fact]
    public void Machine_paths_become_names_and_hex_that_is_not_a_guid_is_left_alone()
    {
        var text = Scrubber().Scrub("/srv/course/notebooks and /home/ada/.nuget; inode 0100007F:251D deadbeef");
        Assert.Equal("<course>/notebooks and ~/.nuget; inode 0100007F:251D deadbeef", text);
    }

    [Fact]
    public void Ipv6_addresses_of_proc_net_tcp6_are_kernel_output_not_guids()
    {
        const string line = "   0: 00000000000000000000000001000000:251D 0000000000000000FFFF00000100007F:0000 0A";
        Assert.Equal(line, Scrubber().Scrub(line));
    }
}

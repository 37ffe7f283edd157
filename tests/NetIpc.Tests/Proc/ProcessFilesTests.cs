using NetIpc.Proc;

namespace NetIpc.Tests.Proc;

/// <summary>The per-process files chapter 14 reads: status and meminfo, limits, sockstat, an epoll instance's fdinfo.</summary>
public class ProcessFilesTests
{
    private const string Status = "Name:\tdotnet\nState:\tS (sleeping)\nVmPeak:\t 3489016 kB\nVmRSS:\t   51234 kB\nThreads:\t22\n";

    [Fact]
    public void Status_fields_are_read_by_name()
    {
        Assert.Equal(51234, ProcessStatus.Field(Status, "VmRSS"));
        Assert.Equal(22, ProcessStatus.Field(Status, "Threads"));
        Assert.Equal(2640, ProcessStatus.Field("MemTotal:       24684228 kB\nKernelStack:        2640 kB\n", "KernelStack", "/proc/meminfo"));
        var e = Assert.Throws<ProcFormatException>(() => ProcessStatus.Field(Status, "VmSwap"));
        Assert.Equal("VmSwap", e.Field);
        Assert.Throws<ProcFormatException>(() => ProcessStatus.Field("VmRSS:\tlots kB\n", "VmRSS"));
    }

    [Fact]
    public void Limits_are_read_from_their_fixed_columns()
    {
        const string text = """
            Limit                     Soft Limit           Hard Limit           Units     
            Max cpu time              unlimited            unlimited            seconds   
            Max processes             96364                96364                processes 
            Max open files            1024                 524288               files     
            """;
        var limits = ProcessLimits.Parse(text + "\n");
        var files = limits.Single(l => l.Name == ProcessLimits.OpenFiles);
        Assert.Equal((1024L, 524288L, "files"), (files.Soft!.Value, files.Hard!.Value, files.Units));
        Assert.Null(limits.Single(l => l.Name == "Max cpu time").Soft);
        Assert.Equal(96364, limits.Single(l => l.Name == ProcessLimits.Processes).Soft);
        Assert.Throws<ProcFormatException>(() => ProcessLimits.Parse("Max open files 1024 1024 files\n"));
    }

    [LinuxFact]
    public void This_process_has_a_descriptor_limit_and_a_resident_set()
    {
        Assert.True(ProcessLimits.OfSelf(ProcessLimits.OpenFiles).Soft is null or > 0);
        Assert.True(ProcessStatus.ResidentKilobytes() > 0);
        Assert.True(ProcessStatus.KernelStackKilobytes() > 0);
        Assert.Contains(ProcessThreads.OfSelf(), t => t.Tid == Environment.ProcessId);
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen();
        Assert.True(ProcNet.Self.SockStat().InUse >= 1, "a listening TCP socket of this process is in use"); // sock_prot_inuse counts hashed sockets
    }

    [Fact]
    public void Sockstat_gives_the_tcp_line()
    {
        const string text = "sockets: used 17\nTCP: inuse 3 orphan 1 tw 18 alloc 5 mem 194\nUDP: inuse 0 mem 98\n";
        Assert.Equal(new SockStat(3, 1, 18, 5, 194), SockStat.Parse(text));
        Assert.Equal("mem", Assert.Throws<ProcFormatException>(() => SockStat.Parse("TCP: inuse 3 orphan 1 tw 18 alloc 5\n")).Field);
        Assert.Throws<ProcFormatException>(() => SockStat.Parse("UDP: inuse 0 mem 98\n"));
    }

    [Fact]
    public void An_eventpoll_fdinfo_lists_each_registered_descriptor_and_its_events()
    {
        const string text = "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t2355\n" +
            "tfd:       55 events: 8000001d data:                0  pos:0 ino:230a9e sdev:9\n" +
            "tfd:       57 events:       19 data:       7f00000039  pos:0 ino:230aa0 sdev:9\n";
        var targets = EpollInstances.ParseTargets(text);
        Assert.Equal([new EpollTarget(55, 0x8000001d), new EpollTarget(57, 0x19)], targets);
        Assert.True(targets[0].EdgeTriggered);
        Assert.False(targets[1].EdgeTriggered);
        Assert.Equal("EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLET", EpollTarget.Describe(0x8000001d));
        Assert.Equal("EPOLLIN | 0x100", EpollTarget.Describe(0x101));
        Assert.Throws<ProcFormatException>(() => EpollInstances.ParseTargets("tfd: x events: 1\n"));
    }
}

using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;

namespace CourseKernel.Tests;

/// <summary>
/// The kernel over stdio, as Polyglot Notebooks drives it: its Interrupt button sends a Cancel command.
/// A cell asleep for good on the kernel's thread ends, and the next cell runs.
/// </summary>
public class PolyglotInterruptTests
{
    [Fact]
    public async Task A_cancel_over_stdio_ends_a_cell_that_sleeps_forever_and_the_next_cell_runs()
    {
        using var scratch = Course.Scratch();
        using var connector = new StdIoKernelConnector(["dotnet", Course.KernelDll, "stdio", "--working-dir", scratch.Path], "course",
            new Uri($"kernel://polyglot-interrupt-test-{Environment.ProcessId}"), new DirectoryInfo(scratch.Path));
        try
        {
            using var csharp = await connector.CreateProxyKernelAsync("csharp").WaitAsync(TimeSpan.FromSeconds(60));
            var printed = new TaskCompletionSource();
            using var events = csharp.KernelEvents.Subscribe(e => { if (e is StandardOutputValueProduced) printed.TrySetResult(); });

            // The cell leaves a mark when its thread is woken, so the test sees the thread itself freed,
            // not only the scheduler moving on.
            var sleeping = csharp.SendAsync(new SubmitCode("""
                Console.WriteLine("sleeping");
                try { System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); }
                catch (System.Threading.ThreadInterruptedException) { AppDomain.CurrentDomain.SetData("woken", "yes"); throw; }
                """));
            await printed.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(500);
            Assert.False(sleeping.IsCompleted);

            await csharp.SendAsync(new Cancel()).WaitAsync(TimeSpan.FromSeconds(30));
            await sleeping.WaitAsync(TimeSpan.FromSeconds(30));

            var watch = Stopwatch.StartNew();
            var next = await csharp.SendAsync(new SubmitCode("AppDomain.CurrentDomain.GetData(\"woken\")")).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.DoesNotContain(next.Events, e => e is CommandFailed);
            var value = Assert.Single(next.Events.OfType<ReturnValueProduced>());
            // Values cross the process boundary formatted only.
            Assert.Contains(value.FormattedValues, f => f.Value.Contains("yes"));
            Console.WriteLine($"the next cell ran {watch.Elapsed.TotalMilliseconds:0} ms after the cancel");
        }
        finally
        {
            if (connector.ProcessId is { } id)
                try { Process.GetProcessById(id).Kill(entireProcessTree: true); } catch (ArgumentException) { }
        }
    }
}

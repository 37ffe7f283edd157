using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace CourseKernel.Tests;

/// <summary>The interrupter inside the course kernel, in this process: the cases the wire cannot time exactly.</summary>
public class CellInterrupterTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An interrupt aimed at a cell whose submission has not started yet (the scheduler still busy with
    /// work before it) is not lost: the submission interrupts itself, and the cell ends at its first
    /// blocking call. The next cell then runs on the freed thread.
    /// </summary>
    [Fact]
    public async Task An_interrupt_aimed_at_a_cell_before_it_starts_ends_it_when_it_blocks()
    {
        var interrupter = new CellInterrupter();
        using var kernel = CourseKernelFactory.Create(interrupter);
        var cell = new SubmitCode("System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);");
        bool cancelled = false;
        interrupter.Interrupt(cell, () => cancelled = true);
        Assert.True(cancelled);
        Assert.True(interrupter.WasInterrupted(cell));

        var result = await kernel.SendAsync(cell).WaitAsync(Limit);
        var failed = Assert.Single(result.Events.OfType<CommandFailed>());
        Assert.Contains(nameof(ThreadInterruptedException), failed.Exception?.GetType().Name + failed.Message);

        var next = await kernel.SendAsync(new SubmitCode("System.Threading.Thread.Sleep(200); 1 + 1")).WaitAsync(Limit);
        Assert.DoesNotContain(next.Events, e => e is CommandFailed);
        Assert.Equal(2, Assert.Single(next.Events.OfType<ReturnValueProduced>()).Value);
        Assert.False(interrupter.WasInterrupted((SubmitCode)next.Command));
    }
}

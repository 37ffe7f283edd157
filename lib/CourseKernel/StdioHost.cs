using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;

namespace CourseKernel;

/// <summary>
/// Serves <see cref="CourseKernelFactory"/>'s kernel as JSON lines on stdin/stdout, the protocol
/// of `dotnet-interactive stdio`. Stdout carries nothing else: cell output reaches the client as events.
/// </summary>
public static class StdioHost
{
    public static async Task<int> RunAsync(string? hostName, bool fromVSCode, CancellationToken cancellation)
    {
        Console.InputEncoding = Encoding.UTF8;
        Console.OutputEncoding = Encoding.UTF8;

        // Polyglot Notebooks interrupts with a Cancel command, which the interrupter follows up.
        using var kernel = CourseKernelFactory.Create(new CellInterrupter());
        var sender = KernelCommandAndEventSender.FromTextWriter(Console.Out, KernelHost.CreateHostUri("stdio"));
        var receiver = KernelCommandAndEventReceiver.FromTextReader(Console.In);
        var hostUri = hostName is null ? KernelHost.CreateHostUriForCurrentProcessId() : KernelHost.CreateHostUri(hostName);
        using var host = kernel.UseHost(sender, receiver, hostUri);
        kernel.UseQuitCommand(() =>
        {
            host.Dispose();
            Environment.Exit(0);
            return Task.CompletedTask;
        });

        if (fromVSCode)
            await ConnectVSCodeFrontendAsync(kernel, host);

        using var registration = cancellation.Register(host.Dispose);
        await host.ConnectAndWaitAsync();
        return 0;
    }

    /// <summary>
    /// What the stock tool does for "[vscode]" (its VSCodeClientKernelExtension is not published as a
    /// package): proxies to the editor, so that input prompts and JavaScript outputs reach VS Code.
    /// </summary>
    private static async Task ConnectVSCodeFrontendAsync(CompositeKernel kernel, KernelHost host)
    {
        var vscode = await host.ConnectProxyKernelOnDefaultConnectorAsync("vscode", new Uri("kernel://vscode"), ["frontend"]);
        vscode.KernelSpecifierDirective.Hidden = true;
        foreach (var command in new[] { typeof(RequestInput), typeof(RequestInputs), typeof(SendEditableCode) })
        {
            vscode.KernelInfo.SupportedKernelCommands.Add(new(command.Name));
            kernel.SetDefaultTargetKernelNameForCommand(command, "vscode");
        }

        var javascript = await host.ConnectProxyKernelOnDefaultConnectorAsync("javascript", new Uri("kernel://webview/javascript"), ["js"]);
        foreach (var command in new[] { nameof(SubmitCode), nameof(RequestValue), nameof(RequestValueInfos), nameof(SendValue) })
            javascript.KernelInfo.SupportedKernelCommands.Add(new(command));
        javascript.UseValueSharing();
    }
}

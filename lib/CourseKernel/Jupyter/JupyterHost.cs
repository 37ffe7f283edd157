using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using NetMQ;
using NetMQ.Sockets;

namespace CourseKernel.Jupyter;

/// <summary>
/// Serves <see cref="CourseKernelFactory"/>'s kernel over the Jupyter messaging protocol (5.3), so that
/// Jupyter Notebook, JupyterLab, VS Code's Jupyter extension and nbconvert run the course. Shell and
/// control each have a thread: control must be answered (interrupt, shutdown) while shell is busy running
/// a cell. Output events reach iopub from whatever thread the kernel raised them on, hence its lock.
/// This file holds the sockets and their threads; the requests are answered in JupyterHost.Requests.cs,
/// cells run (and are interrupted) in JupyterHost.Execution.cs, completion is in JupyterHost.Completion.cs
/// and output events become iopub messages in JupyterHost.Output.cs.
/// </summary>
public sealed partial class JupyterHost : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly ConnectionFile _connection;
    private readonly MessageSigner _signer;
    private readonly CompositeKernel _kernel;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    // iopub is written by one thread of its own. Output events arrive on the cell's thread, which an
    // interrupt may hit: there they only enqueue (lock-free) and signal (a native event, which
    // Thread.Interrupt does not reach), so an interrupt never lands in the host's own publishing.
    private readonly ConcurrentQueue<NetMQMessage> _iopubQueue = new();
    private readonly AutoResetEvent _iopubReady = new(false);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _events;
    private readonly CellInterrupter _interrupter = new();
    private int _executionCount;
    // The shell requests that were already waiting when a cell failed, taken off the socket before its
    // execute_reply went out, and answered (execute requests "aborted") once its idle status is out;
    // _aborting is set while they are.
    private List<List<byte[]>>? _waitingAtError;
    private bool _aborting;
    // The request whose cell is running: output events are published as its children. Kept after the
    // cell ends, so that output a cell's background work writes later still lands under that cell.
    private volatile JupyterMessage? _outputParent;
    // The command of the cell that runs or ran last: what an interrupt_request interrupts.
    private volatile SubmitCode? _cell;

    // Cell output goes through Console during a submission, so the host's own log writes to the
    // process's stderr directly: a rejected message is never mistaken for a cell's output.
    private static readonly TextWriter Log = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };

    private JupyterHost(ConnectionFile connection)
    {
        _connection = connection;
        _signer = new MessageSigner(connection.Key);
        _kernel = CourseKernelFactory.Create(_interrupter);
        _events = _kernel.KernelEvents.Subscribe(PublishOutput);
        foreach (var (socket, port) in new (NetMQSocket, int)[] { (_shell, connection.ShellPort), (_control, connection.ControlPort), (_stdin, connection.StdinPort), (_iopub, connection.IopubPort), (_heartbeat, connection.HbPort) })
        {
            // Short linger: a reply sent just before shutdown still leaves, and the process does not hang on exit.
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Bind(connection.Address(port));
        }
    }

    public static async Task<int> RunAsync(string connectionFilePath, CancellationToken cancellation)
    {
        ConnectionFile connection;
        try { connection = ConnectionFile.Read(connectionFilePath); }
        catch (ConnectionFileException e)
        {
            Log.WriteLine($"CourseKernel jupyter: {e.Message}");
            return 2;
        }
        using var host = new JupyterHost(connection);
        if (!host._signer.Enabled)
            Log.WriteLine($"CourseKernel jupyter: connection file {connectionFilePath} has an empty \"key\": messages are not signed");
        using var registration = cancellation.Register(host.Stop);
        host.Publish("status", new JsonObject { ["execution_state"] = "starting" }, parent: null);
        var threads = new[]
        {
            host.Serve("shell", host._shell, host.HandleShell),
            host.Serve("control", host._control, host.HandleControl),
            host.Serve("stdin", host._stdin, (_, _) => { }),
            host.ServeHeartbeat(),
            host.ServeIopub(),
        };
        await host._stopped.Task;
        foreach (var thread in threads) thread.Join(TimeSpan.FromSeconds(2));
        return 0;
    }

    private void Stop()
    {
        _stopping.Cancel();
        _stopped.TrySetResult();
    }

    private Thread Serve(string name, RouterSocket socket, Action<RouterSocket, JupyterMessage> handle)
    {
        var thread = new Thread(() =>
        {
            while (!_stopping.IsCancellationRequested)
                ServeOne(name, socket, handle, Poll);
        }) { Name = "jupyter " + name, IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>Receives one message within <paramref name="wait"/> and handles it; false if none came.</summary>
    private bool ServeOne(string name, RouterSocket socket, Action<RouterSocket, JupyterMessage> handle, TimeSpan wait)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipartBytes(wait, ref frames)) return false;
        Dispatch(name, socket, handle, frames);
        return true;
    }

    private void Dispatch(string name, RouterSocket socket, Action<RouterSocket, JupyterMessage> handle, List<byte[]> frames)
    {
        var message = JupyterMessage.FromWire(frames, _signer, out string? rejection);
        if (message is null)
        {
            Log.WriteLine($"CourseKernel jupyter: dropped a message on {name}: {rejection}");
            return;
        }
        try { handle(socket, message); }
        catch (Exception e) { Log.WriteLine($"CourseKernel jupyter: {message.Type} on {name} failed: {e}"); }
    }

    private Thread ServeIopub()
    {
        var thread = new Thread(() =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                _iopubReady.WaitOne(Poll);
                SendQueued();
            }
            SendQueued(); // a shutdown's last statuses
        }) { Name = "jupyter iopub", IsBackground = true };
        thread.Start();
        return thread;

        void SendQueued()
        {
            while (_iopubQueue.TryDequeue(out var wire)) _iopub.SendMultipartMessage(wire);
        }
    }

    private Thread ServeHeartbeat()
    {
        var thread = new Thread(() =>
        {
            var frames = new List<byte[]>();
            while (!_stopping.IsCancellationRequested)
            {
                frames.Clear();
                if (_heartbeat.TryReceiveMultipartBytes(Poll, ref frames))
                    _heartbeat.SendMultipartBytes(frames);
            }
        }) { Name = "jupyter heartbeat", IsBackground = true };
        thread.Start();
        return thread;
    }

    private void Reply(RouterSocket socket, JupyterMessage request, string type, JsonObject content)
    {
        var wire = JupyterMessage.Create(type, content, request, _session).ToWire(_signer);
        socket.SendMultipartMessage(wire);
    }

    private void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var message = JupyterMessage.Create(type, content, parent, _session, identities: [Encoding.UTF8.GetBytes(type)]);
        _iopubQueue.Enqueue(message.ToWire(_signer));
        _iopubReady.Set();
    }

    public void Dispose()
    {
        _events.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Dispose();
        _iopubReady.Dispose();
        _kernel.Dispose();
        _stopping.Dispose();
    }
}

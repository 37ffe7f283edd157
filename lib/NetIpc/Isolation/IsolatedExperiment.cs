using System.Reflection;
using System.Text.Json;

namespace NetIpc.Isolation;

/// <summary>An experiment could not run here: <see cref="Exception.Message"/> names the experiment and the missing capability.</summary>
public sealed class CapabilityMissingException(string experiment, string why, string? brief = null)
    : PlatformNotSupportedException($"{experiment} cannot run here: {why}")
{
    public string Experiment { get; } = experiment;

    public string Why { get; } = why;

    /// <summary>Why, in the few words a recorded cell shows where chapter 00 explains the rest (<see cref="Route.Brief"/>); else <see cref="Why"/>.</summary>
    public string Brief { get; } = brief ?? why;

    /// <summary>The line a recorded cell shows: the short form where chapter 00 explains the rest, else the whole message.</summary>
    public string Line => brief is null ? Message : $"{Experiment} {brief}";
}

/// <summary>
/// An experiment that needs more than ordinary sockets, declared with what it needs. Calling it runs it
/// wherever this machine allows (<see cref="Capabilities.RouteFor(IEnumerable{Capability})"/>): in this
/// process, or in a child process inside a user namespace of its own — its arguments and result
/// crossing as JSON — or not at all, with <see cref="CapabilityMissingException"/>.
/// </summary>
public abstract class IsolatedExperiment
{
    private static readonly Lazy<IReadOnlyList<IsolatedExperiment>> all = new(Discover);

    private protected IsolatedExperiment(string name, string chapter, IReadOnlyList<Capability> needs, TimeSpan limit)
    {
        Name = name;
        Chapter = chapter;
        Needs = needs;
        Limit = limit;
    }

    /// <summary>The name the experiment host runs it by, e.g. "two-hosts".</summary>
    public string Name { get; }

    /// <summary>The chapter that shows it, e.g. "12".</summary>
    public string Chapter { get; }

    public IReadOnlyList<Capability> Needs { get; }

    /// <summary>How long a child process running it may take before it is killed.</summary>
    public TimeSpan Limit { get; }

    /// <summary>How it runs on this machine, or why it cannot.</summary>
    public Route Route => Capabilities.RouteFor(Needs);

    /// <summary>Every declared experiment: the static fields of this library holding one.</summary>
    public static IReadOnlyList<IsolatedExperiment> All => all.Value;

    public static IsolatedExperiment Find(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"no isolated experiment is named '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}", nameof(name));

    /// <summary>This process's capabilities as JSON: what the experiment host answers when probed in the child.</summary>
    public static string ProbeHere() => JsonSerializer.Serialize(Capabilities.Here, Json);

    /// <summary>Runs it in this process from JSON arguments and returns the result as JSON: what the experiment host does in the child.</summary>
    public abstract string RunHere(string argumentsJson);

    /// <summary>Collects the routes the isolated experiments took while <see cref="Measured"/> runs a live experiment, so it can say where it ran.</summary>
    internal static readonly AsyncLocal<List<Route>?> RoutesTaken = new();

    /// <summary>The JSON both sides use: the recordings' converters (addresses as text), plus fields, so tuples can be arguments.</summary>
    internal static readonly JsonSerializerOptions Json = new(Recordings.Json) { IncludeFields = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static List<IsolatedExperiment> Discover() =>
        typeof(IsolatedExperiment).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => typeof(IsolatedExperiment).IsAssignableFrom(f.FieldType))
            .Select(f => (IsolatedExperiment)f.GetValue(null)!)
            .OrderBy(e => e.Chapter, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
}

/// <summary>An isolated experiment taking <typeparamref name="TArgs"/> and measuring <typeparamref name="TResult"/>.</summary>
public sealed class IsolatedExperiment<TArgs, TResult> : IsolatedExperiment
{
    private readonly Func<TArgs, TResult> here;

    public IsolatedExperiment(string name, string chapter, IReadOnlyList<Capability> needs, Func<TArgs, TResult> here, TimeSpan? limit = null)
        : base(name, chapter, needs, limit ?? TimeSpan.FromSeconds(90)) => this.here = here;

    private const string TimeoutPrefix = "System.TimeoutException: ";

    /// <summary>Runs it where this machine allows; throws <see cref="CapabilityMissingException"/> where it cannot run at all.</summary>
    public TResult Run(TArgs arguments)
    {
        var route = Route;
        RoutesTaken.Value?.Add(route);
        return route.Kind switch
        {
            RouteKind.InProcess => here(arguments),
            RouteKind.UserNamespaceChild => InChild(arguments),
            _ => throw new CapabilityMissingException(Name, route.Description, route.Brief),
        };
    }

    /// <summary>Runs it in a child inside a user namespace whatever this process may do: how tests prove that path as root.</summary>
    public TResult InChild(TArgs arguments)
    {
        string output;
        try
        {
            output = UserNamespaceChild.Run(["run", Name], JsonSerializer.Serialize(arguments, Json), Limit);
        }
        catch (UserNamespaceUnavailableException e)
        {
            throw new CapabilityMissingException(Name, e.Message);
        }
        catch (ChildExperimentException e) when (e.Message.StartsWith(TimeoutPrefix, StringComparison.Ordinal))
        {
            throw new TimeoutException($"{Name}, run in a child process inside a user namespace: {e.Message[TimeoutPrefix.Length..]}", e);
        }
        catch (ChildExperimentException e)
        {
            throw new InvalidOperationException($"{Name}, run in a child process inside a user namespace, failed: {e.Message}", e);
        }
        try
        {
            return JsonSerializer.Deserialize<TResult>(output, Json) ?? throw new JsonException("the child printed null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{Name}: the child's result is not a {typeof(TResult).Name} in JSON: {e.Message}", e);
        }
    }

    public override string RunHere(string argumentsJson)
    {
        var arguments = JsonSerializer.Deserialize<TArgs>(argumentsJson, Json)!;
        return JsonSerializer.Serialize(here(arguments), Json);
    }
}

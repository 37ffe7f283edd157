using NetIpc.Isolation;

namespace NetIpc.Notebooks.Sentences;

/// <summary>
/// Chapter 00's one line under the capability table: who runs the namespace experiments here, or — where a
/// child in a user namespace cannot start — what blocks it and the one thing to do. Said once here, so the
/// table's rows and every recorded cell can point to it.
/// </summary>
public static class UserNamespaceAdvice
{
    public static string Here()
    {
        if (Capabilities.Here.All(p => p.Allowed || p.Capability == Capability.ProcNet))
        {
            return "This process may do all of the above itself: the experiments run in it, and no child in a user namespace is needed.";
        }
        var child = Capabilities.InUserNamespace;
        if (child.Probes is null)
        {
            return child.Block is { } block
                ? block.Sentence(Recordings.CourseRoot)
                : $"No child in a user namespace of its own could start here: {child.Outcome.TrimEnd('.')}.";
        }
        var refused = child.Probes.Where(p => !p.Allowed).ToList();
        return refused.Count == 0
            ? "A child in a user namespace of its own may do all that this process may not: the namespace experiments run there, live."
            : $"A child in a user namespace of its own may not do {string.Join(", ", refused.Select(p => p.Capability))} either: {refused[0].Outcome.TrimEnd('.')}.";
    }
}

using NetIpc.Namespaces;

namespace NetIpc.Tests;

/// <summary>A theory that needs a network namespace of its own (Linux, root): skipped, with the reason, elsewhere.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (NetworkNamespace.Unavailable is string reason)
        {
            Skip = reason;
        }
    }
}

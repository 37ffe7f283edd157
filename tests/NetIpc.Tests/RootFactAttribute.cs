using NetIpc.Namespaces;

namespace NetIpc.Tests;

/// <summary>A fact that needs a network namespace of its own (Linux, root): skipped, with the reason, elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (NetworkNamespace.Unavailable is string reason)
        {
            Skip = reason;
        }
    }
}

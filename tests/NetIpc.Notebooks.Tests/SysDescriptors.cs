namespace NetIpc.Notebooks.Tests;

/// <summary>
/// Tests that count the descriptors open through Sys (one table for the whole process) take turns: run side by
/// side, one class's sockets show up in the other's before/after counts.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class SysDescriptors
{
    public const string Collection = "Sys descriptors";
}

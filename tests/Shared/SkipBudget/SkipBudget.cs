using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CourseTests;

/// <summary>
/// How many tests an environment may skip. A test that cannot run here (no root, no namespaces, no capsh) is
/// skipped with its reason, which is right on a learner's laptop and wrong where every capability is there:
/// CI runs as root, so a skip there means something broke the probe or the set-up. Where
/// <c>NETIPC_SKIP_BUDGET</c> is set (to 0 by CI and by .ci/run as root), every skip is counted, and each one
/// past the budget fails, naming its reason. Every skip reason is written to standard error either way, so a
/// log shows them. The budget is per test assembly (each runs in a process of its own) and counts the tests
/// discovered, filtered out or not.
/// </summary>
public static class SkipBudget
{
    public const string Variable = "NETIPC_SKIP_BUDGET";

    private static int used;

    /// <summary>The budget set for this environment; null when none is (every skip stays a skip).</summary>
    public static int? Budget =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text
            ? int.TryParse(text, out int n) && n >= 0 ? n : throw new FormatException($"{Variable}={text}: a number of skipped tests (0 or more) was expected")
            : null;

    /// <summary>Counts one skip of <paramref name="test"/>; returns why it must fail instead, or null while the budget lasts.</summary>
    public static string? Spend(string test, string reason)
    {
        int count = Interlocked.Increment(ref used);
        int? budget = Budget;
        string verdict = budget is null ? "skipped (no skip budget set)" : count <= budget ? $"skipped ({count} of a budget of {budget})" : $"FAILS: skip {count} is over the budget of {budget}";
        Console.Error.WriteLine($"[skip] {test}: {verdict}: {reason}");
        return budget is int b && count > b
            ? $"Would be skipped here, but this environment's skip budget ({Variable}={b}) is used up ({count} skips so far): {reason}"
            : null;
    }

    internal static IEnumerable<IXunitTestCase>? OverBudget(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
    {
        if (attribute.GetNamedArgument<string>("Skip") is not { } reason) return null;
        string test = $"{method.TestClass.Class.Name}.{method.Method.Name}";
        return Spend(test, reason) is { } why
            ? [new ExecutionErrorTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, why)]
            : null;
    }
}

/// <summary>A fact skipped where its condition does not hold (set <see cref="FactAttribute.Skip"/> in the constructor), within the environment's <see cref="SkipBudget"/>.</summary>
[XunitTestCaseDiscoverer("CourseTests.BudgetedFactDiscoverer", "CourseTests.SkipBudget")]
public abstract class ConditionalFactAttribute : FactAttribute;

/// <summary>A theory skipped where its condition does not hold, within the environment's <see cref="SkipBudget"/>.</summary>
[XunitTestCaseDiscoverer("CourseTests.BudgetedTheoryDiscoverer", "CourseTests.SkipBudget")]
public abstract class ConditionalTheoryAttribute : TheoryAttribute;

public sealed class BudgetedFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        SkipBudget.OverBudget(DiagnosticMessageSink, discoveryOptions, testMethod, factAttribute) ?? base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class BudgetedTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        SkipBudget.OverBudget(DiagnosticMessageSink, discoveryOptions, testMethod, theoryAttribute) ?? base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

using System.Collections.Concurrent;
using System.Reflection;
using Xunit.v3;

namespace KernelRegression.Tests.Support;

/// <summary>What one tier needs on this machine: its name (as KR_REQUIRE_TIER says it) and why it cannot run here, or null.</summary>
public interface ITierProbe
{
    string Tier { get; }

    /// <summary>What is missing ("docker tier: no Docker engine answers … (eng/bootstrap.sh docker)"); null when the tier can run.</summary>
    string? WhyNot();
}

/// <summary>
/// A test that needs a tier (docker, kind, browser): skipped with what is missing and the fix, or failed
/// when KR_REQUIRE_TIER names the tier, so a CI job that must run it never mistakes a missing engine for
/// green. Decided here and only here: tests carry the attribute (or, for theory rows of several tiers, call
/// <see cref="Require"/>) instead of deciding in their bodies. The probe runs once per test run.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresTierAttribute(Type probe) : BeforeAfterTestAttribute
{
    private static readonly ConcurrentDictionary<Type, Lazy<ITierProbe>> Probes = new();

    public Type Probe { get; } = probe;

    public override void Before(MethodInfo methodUnderTest, IXunitTest test) => Require(Probe);

    /// <summary>Skips the current test (or fails it under KR_REQUIRE_TIER) when the probe's tier cannot run here.</summary>
    public static void Require(Type probe)
    {
        var tier = Probes.GetOrAdd(probe, t => new Lazy<ITierProbe>(() => (ITierProbe)Activator.CreateInstance(t)!)).Value;
        if (tier.WhyNot() is not { } why)
        {
            return;
        }
        if (Settings.Requires(tier.Tier))
        {
            throw new InvalidOperationException($"KR_REQUIRE_TIER includes {tier.Tier}, but: {why}");
        }
        Assert.Skip($"{why}; set KR_REQUIRE_TIER={tier.Tier} to make this a failure");
    }
}

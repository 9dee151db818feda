using Sluice.Cli.Commands.Demo;
using Sluice.Testing;

namespace Sluice.Cli.Tests.Commands.Demo;

public class DemoActsTests
{
    [Fact]
    public void All_EveryExampleAnActApplies_Exists()
    {
        foreach (var file in DemoActs.All.SelectMany(a => a.Files))
        {
            File.Exists(Path.Combine(RepoPaths.Root, "examples", file)).ShouldBeTrue(file);
        }
    }

    [Fact]
    public void All_TheSeedsActsComeFirstAndTheActNeedingPrometheusLast()
    {
        DemoActs.All.Take(3).Select(a => a.Target).ShouldBe(["test-rolling-v1", "test-rolling-v2", "test-rolling-v3"]);
        DemoActs.All.Select(a => a.NeedsPrometheus).ShouldBe([false, false, false, false, true]);
        DemoActs.All.Single(a => a.MeasuresRecovery).ShouldBeSameAs(DemoActs.All[^1]);
    }

    [Fact]
    public void Skip_WithoutPrometheus_NamesWhyOnlyForTheActThatNeedsIt()
    {
        const string why = "prometheus is not installed (apt-get install prometheus)";
        DemoActs.Skip(DemoActs.All[^1], why).ShouldBe($"skipped: its metrics are measured by a real Prometheus, and there is none here: {why}");
        DemoActs.All.Take(4).ShouldAllBe(a => DemoActs.Skip(a, why) == null);
        DemoActs.Skip(DemoActs.All[^1], prometheusMissing: null).ShouldBeNull();
    }
}

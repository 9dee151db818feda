using Sluice.Controllers.Analysis;
using Sluice.Core.Analysis;
using Sluice.Core.Api;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Analysis;

/// <summary>examples/analysis: every manifest reads and passes the checks the controllers make.</summary>
public class AnalysisExamplesTests
{
    private static string Example(string file) => File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "analysis", file));

    [Fact]
    public void Rollout_ItsMetricsAreValid_AndItsRunsBuildWithTheTemplatesInlined()
    {
        var rollout = ManifestReader.Read<AppRollout>(YamlJson.Parse(Example("02-rollout-with-analysis.yaml"))!);
        var team = ManifestReader.Read<MetricTemplate>(YamlJson.Parse(Example("01-metrictemplate-checkout-errors.yaml"))!);
        var builtIn = ManifestReader.Read<MetricTemplate>(YamlJson.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "metrics", "request-success-rate.yaml")))!);
        var templates = new Dictionary<string, MetricTemplateSpec>
        {
            [AnalysisRunBuilder.TemplateKey("default", "checkout-errors")] = team.Spec,
            [AnalysisRunBuilder.TemplateKey("vela-system", "request-success-rate")] = builtIn.Spec,
        };

        MetricValidation.ValidatePlan(rollout.Spec.RolloutPlan!, CelConditions.Shared).ShouldBeEmpty();
        var plan = rollout.Spec.RolloutPlan!;
        for (var batch = 0; batch < plan.RolloutBatches!.Count; batch++)
        {
            var run = AnalysisRunBuilder.Build(new AnalysisRunRequest
            {
                RolloutName = "rolling-with-analysis", RolloutNamespace = "default", RolloutUid = "u", Batch = batch, Attempt = 1,
                PlanMetrics = plan.CanaryMetric!, BatchMetrics = plan.RolloutBatches[batch].CanaryMetric ?? [], Templates = templates,
                Variables = new AnalysisVariables { Namespace = "default", Component = "metrics-provider", SourceRevision = "test-rolling-v1", TargetRevision = "test-rolling-v2" },
            }, out var errors);

            errors.ShouldBeEmpty();
            AnalysisRunValidation.Validate(run.Spec, CelConditions.Shared).ShouldBeEmpty($"batch {batch}");
        }
    }

    [Fact]
    public void HandMadeRun_IsValid()
    {
        var run = ManifestReader.Read<AnalysisRun>(YamlJson.Parse(Example("03-analysisrun.yaml"))!);

        AnalysisRunValidation.Validate(run.Spec, CelConditions.Shared).ShouldBeEmpty();
    }
}

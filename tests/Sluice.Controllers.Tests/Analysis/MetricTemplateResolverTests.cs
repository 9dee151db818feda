using System.Text.Json.Nodes;
using Sluice.Controllers.Analysis;
using Sluice.Core.Analysis;
using Sluice.Core.Api;

namespace Sluice.Controllers.Tests.Analysis;

public class MetricTemplateResolverTests
{
    private readonly FakeKubeApi api = new();

    private void Template(string ns, string name, string condition = "result >= 99") => api.Put(AnalysisKinds.MetricTemplate, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["provider"] = new JsonObject { ["prometheus"] = new JsonObject { ["query"] = "sum(x{v=\"{{targetRevision}}\"})" } },
            ["successCondition"] = condition,
        },
    });

    private static RolloutPlan Plan(params string[] templates) => new()
    {
        RolloutBatches = [new RolloutBatch { CanaryMetric = templates.Select(t => new CanaryMetric { Name = t, TemplateRef = new MetricTemplateReference { Kind = "MetricTemplate", Name = t } }).ToList() }],
    };

    [Fact]
    public async Task VerifyPlanAsync_TemplateInTheSystemNamespace_IsFoundAndInlinedInTheRun()
    {
        Template(MetricTemplate.SystemNamespace, "request-success-rate");

        var (templates, errors) = await new MetricTemplateResolver(api, CelConditions.Shared).VerifyPlanAsync(Plan("request-success-rate"), "default", CancellationToken.None);
        var run = AnalysisRunBuilder.Build(new AnalysisRunRequest
        {
            RolloutName = "app", RolloutNamespace = "default", RolloutUid = "u", Batch = 0, Attempt = 1,
            BatchMetrics = Plan("request-success-rate").RolloutBatches![0].CanaryMetric!, Templates = templates,
            Variables = new AnalysisVariables { Namespace = "default", Component = "web", TargetRevision = "app-v2" },
        }, out var buildErrors);

        errors.ShouldBeEmpty();
        buildErrors.ShouldBeEmpty();
        run.Spec.Metrics!.Single().Provider!.Prometheus!.Query.ShouldBe("sum(x{v=\"{{targetRevision}}\"})");
        run.Spec.Metrics!.Single().TemplateRef.ShouldBeNull();
        AnalysisRunValidation.Validate(run.Spec, CelConditions.Shared).ShouldBeEmpty();
    }

    [Fact]
    public async Task VerifyPlanAsync_MissingTemplate_NamesTheFieldAndWhereItLooked()
    {
        var (_, errors) = await new MetricTemplateResolver(api, CelConditions.Shared).VerifyPlanAsync(Plan("nope"), "default", CancellationToken.None);

        errors.Single().Message.ShouldBe("spec.rolloutPlan.rolloutBatches[0].canaryMetric[0].templateRef: Not found: MetricTemplate \"nope\" in namespace default or vela-system");
    }

    [Fact]
    public async Task VerifyPlanAsync_TemplateWithABadCondition_IsRejectedAtTheMetricThatNamesIt()
    {
        Template("default", "broken", condition: "result >= ");

        var (_, errors) = await new MetricTemplateResolver(api, CelConditions.Shared).VerifyPlanAsync(Plan("broken"), "default", CancellationToken.None);

        errors.Single().Message.ShouldStartWith("spec.rolloutPlan.rolloutBatches[0].canaryMetric[0].successCondition: Invalid value: \"result >= \": metric \"broken\": syntax error");
        errors.Single().Message.ShouldEndWith("(with MetricTemplate broken inlined)");
    }
}

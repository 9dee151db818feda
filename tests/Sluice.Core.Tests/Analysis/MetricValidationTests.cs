using System.Text.Json.Nodes;
using Sluice.Core.Analysis;
using Sluice.Core.Api;
using static Sluice.Core.Tests.Analysis.Metrics;

namespace Sluice.Core.Tests.Analysis;

public class MetricValidationTests
{
    private const string Path = "spec.rolloutPlan.canaryMetric";

    private static IReadOnlyList<AnalysisError> Check(CanaryMetric metric, IConditionChecker? checker = null) =>
        MetricValidation.Validate([metric], Path, checker, resolved: false);

    private static CanaryMetric Parse(string json) => SluiceJson.Deserialize<CanaryMetric>(JsonNode.Parse(json)!);

    [Fact]
    public void Validate_AGoodMetric_HasNoErrors() => Check(Prometheus()).ShouldBeEmpty();

    [Fact]
    public void Validate_TemplateRefOnly_HasNoErrors() =>
        Check(new CanaryMetric { Name = "m", TemplateRef = new MetricTemplateReference { Kind = "MetricTemplate", Name = "request-success-rate" } }).ShouldBeEmpty();

    public static TheoryData<string, string> BadMetrics => new()
    {
        { """{"name":"m","provider":{"datadog":{"query":"q"}},"successCondition":"true"}""", "spec.rolloutPlan.canaryMetric[0].provider: Unsupported value: \"datadog\": supported values: \"prometheus\", \"web\"" },
        { """{"name":"m","successCondition":"true"}""", "spec.rolloutPlan.canaryMetric[0].provider: Required value: a provider (prometheus or web) or a templateRef" },
        { """{"name":"m","provider":{"prometheus":{}},"successCondition":"true"}""", "spec.rolloutPlan.canaryMetric[0].provider.prometheus.query: Required value: a PromQL query" },
        { """{"name":"m","provider":{"web":{"jsonPath":"$.x"}},"successCondition":"true"}""", "spec.rolloutPlan.canaryMetric[0].provider.web.url: Required value: the URL to call" },
        { """{"name":"m","provider":{"web":{"url":"ftp://x"}},"successCondition":"true"}""", "spec.rolloutPlan.canaryMetric[0].provider.web.url: Invalid value: \"ftp://x\": want an http or https URL" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}},"successCondition":"true","failureLimit":-1}""", "spec.rolloutPlan.canaryMetric[0].failureLimit: Invalid value: -1: must not be negative" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}},"successCondition":"true","inconclusiveLimit":-2}""", "spec.rolloutPlan.canaryMetric[0].inconclusiveLimit: Invalid value: -2: must not be negative" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}},"successCondition":"true","consecutiveErrorLimit":-1}""", "spec.rolloutPlan.canaryMetric[0].consecutiveErrorLimit: Invalid value: -1: must not be negative" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}},"metricsRange":{"min":5,"max":"1"}}""", "spec.rolloutPlan.canaryMetric[0].metricsRange: Invalid value: min 5 is above max 1" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}},"metricsRange":{"min":"lots"}}""", "spec.rolloutPlan.canaryMetric[0].metricsRange.min: Invalid value: \"lots\": want a number" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}},"successCondition":"true","interval":"soon"}""", "spec.rolloutPlan.canaryMetric[0].interval: Invalid value: \"soon\": want a positive duration such as 30s, 1m or 1h30m" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}},"successCondition":"true","count":0}""", "spec.rolloutPlan.canaryMetric[0].count: Invalid value: 0: must be at least 1" },
        { """{"provider":{"prometheus":{"query":"q"}},"successCondition":"true"}""", "spec.rolloutPlan.canaryMetric[0].name: Required value" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}}}""", "spec.rolloutPlan.canaryMetric[0].successCondition: Required value: metric \"m\" needs successCondition, failureCondition, metricsRange or judge (or dryRun to only record)" },
        { """{"name":"m","provider":{"prometheus":{"query":"x{v=\"{{version}}\"}"}},"successCondition":"true"}""", "spec.rolloutPlan.canaryMetric[0].provider.prometheus.query: Invalid value: \"x{v=\"{{version}}\"}\": unknown variable \"version\" in {{version}}" },
        { """{"name":"m","templateRef":{"kind":"AnalysisTemplate","name":"t"}}""", "spec.rolloutPlan.canaryMetric[0].templateRef.kind: Unsupported value: \"AnalysisTemplate\": supported values: \"MetricTemplate\"" },
        { """{"name":"m","provider":{"prometheus":{"query":"q"}},"successCondition":"true","failurelimit":1}""", "spec.rolloutPlan.canaryMetric[0].failurelimit: unknown field" },
        { """{"name":"m","provider":{"prometheus":{"query":"x"}},"judge":{}}""", "spec.rolloutPlan.canaryMetric[0].provider.prometheus.query: Invalid value: \"x\": a judged query must use {{revision}} (the target's, then the source's)" },
        { """{"name":"m","provider":{"prometheus":{"query":"x{{revision}}"}},"judge":{"confidence":1.5}}""", "spec.rolloutPlan.canaryMetric[0].judge.confidence: Invalid value: 1.5: must be above 0.5 and below 1 (e.g. 0.95)" },
        { """{"name":"m","provider":{"web":{"url":"http://x"}},"judge":{}}""", "spec.rolloutPlan.canaryMetric[0].judge: Invalid value: the judge takes samples from prometheus range queries; give a prometheus provider" },
        { """{"name":"m","provider":{"web":{"url":"http://x","jsonPath":"$.a["}},"successCondition":"true"}""", "spec.rolloutPlan.canaryMetric[0].provider.web.jsonPath: Invalid value: \"$.a[\": \"[\" at 2 is never closed" },
    };

    [Theory]
    [MemberData(nameof(BadMetrics))]
    public void Validate_BadInput_NamesTheFieldAndValue(string json, string expected) =>
        Check(Parse(json)).Select(e => e.Message).ShouldContain(m => m.StartsWith(expected, StringComparison.Ordinal), $"want {expected}");

    [Fact]
    public void Validate_ArgsOfTheMetric_AreKnownVariables() =>
        Check(Prometheus(query: "x{q=\"{{args.quantile}}\"}") with { Args = new Dictionary<string, string> { ["quantile"] = "0.99" } }).ShouldBeEmpty();

    [Fact]
    public void Validate_DuplicateNames_NameTheSecond()
    {
        var errors = MetricValidation.Validate([Prometheus("m"), Prometheus("m")], Path, null, resolved: false);

        errors.Single().Message.ShouldBe("spec.rolloutPlan.canaryMetric[1].name: Duplicate value: \"m\"");
    }

    [Fact]
    public void Validate_ConditionThatDoesNotCompile_NamesTheMetricAndTheParseError()
    {
        var errors = Check(Prometheus() with { SuccessCondition = "result >" }, new RejectAll("Line 1:8 mismatched input"));

        errors.Single().Message.ShouldBe("spec.rolloutPlan.canaryMetric[0].successCondition: Invalid value: \"result >\": metric \"error-rate\": Line 1:8 mismatched input");
    }

    [Fact]
    public void Validate_ResolvedRunWithATemplateRef_IsAnError() =>
        MetricValidation.Validate([new CanaryMetric { Name = "m", TemplateRef = new MetricTemplateReference { Name = "t" } }], "spec.metrics", null, resolved: true)
            .Select(e => e.Field).ShouldContain("spec.metrics[0].templateRef");

    [Fact]
    public void ValidatePlan_BatchMetricNamedLikeAPlanMetric_IsAnErrorAtTheBatch()
    {
        var plan = new RolloutPlan
        {
            CanaryMetric = [Prometheus("m")],
            RolloutBatches = [new RolloutBatch { CanaryMetric = [Prometheus("m")] }],
        };

        MetricValidation.ValidatePlan(plan, null).Single().Field.ShouldBe("spec.rolloutPlan.rolloutBatches[0].canaryMetric[0].name");
    }

    private sealed class RejectAll(string error) : IConditionChecker
    {
        public string? Check(string expression) => error;
    }
}

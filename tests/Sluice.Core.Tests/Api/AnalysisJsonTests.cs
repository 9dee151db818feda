using System.Text.Json.Nodes;
using Sluice.Core.Api;

namespace Sluice.Core.Tests.Api;

public class AnalysisJsonTests
{
    private const string Metric = """
        {"name":"error-rate","interval":"30s","metricsRange":{"min":"0","max":1.5},
         "templateRef":{"kind":"MetricTemplate","name":"t","apiVersion":"rollout.sluice.dev/v1alpha1","uid":"u1"},
         "provider":{"prometheus":{"address":"http://p:9090","query":"sum(x)","step":"15s","secretRef":{"name":"s"},"insecureSkipVerify":true,"timeoutSeconds":5},
                     "web":{"url":"http://w/{{namespace}}","method":"POST","headers":{"X-A":"b"},"body":"{}","jsonPath":"$.v","timeoutSeconds":3,"secretRef":{"name":"w"}}},
         "successCondition":"result >= 0.99","failureCondition":"result < 0.5","count":3,"initialDelay":"10s",
         "failureLimit":1,"inconclusiveLimit":2,"consecutiveErrorLimit":3,
         "judge":{"baseline":"source","direction":"decrease","tolerance":"10%","confidence":0.9},
         "dryRun":true,"args":{"quantile":"0.99"}}
        """;

    [Fact]
    public void CanaryMetric_EveryField_RoundTripsWithItsJsonName()
    {
        var metric = SluiceJson.Deserialize<CanaryMetric>(JsonNode.Parse(Metric)!);

        JsonNode.DeepEquals(SluiceJson.ToNode(metric), JsonNode.Parse(Metric)).ShouldBeTrue(SluiceJson.Serialize(metric));
        metric.Provider!.Web!.Method.ShouldBe(WebMetricMethod.POST);
        metric.Judge!.Direction.ShouldBe(JudgeDirection.Decrease);
        metric.MetricsRange!.Min!.IsString.ShouldBeTrue();
        metric.MetricsRange.Max!.TryNumber(out var max).ShouldBeTrue();
        max.ShouldBe(1.5);
        metric.TemplateRef!.Extra!.ShouldContainKey("uid");
    }

    [Fact]
    public void CanaryMetric_KubeVelasOwnFields_ReadAsBefore()
    {
        var metric = SluiceJson.Deserialize<CanaryMetric>(JsonNode.Parse("""{"name":"m","interval":"5m","metricsRange":{"min":1,"max":"10"},"templateRef":{"kind":"MetricTemplate","name":"x","namespace":"ns"}}""")!);

        metric.Interval.ShouldBe("5m");
        metric.TemplateRef!.Namespace.ShouldBe("ns");
        metric.EffectiveConsecutiveErrorLimit.ShouldBe(4);
        metric.EffectiveFailureLimit.ShouldBe(0);
    }

    [Fact]
    public void CanaryMetric_UnknownProviderAndField_AreKeptForValidation()
    {
        var metric = SluiceJson.Deserialize<CanaryMetric>(JsonNode.Parse("""{"name":"m","provider":{"datadog":{"query":"q"}},"failurelimit":1}""")!);

        metric.Provider!.Extra!.Keys.ShouldBe(["datadog"]);
        metric.Extra!.Keys.ShouldBe(["failurelimit"]);
    }

    [Fact]
    public void AnalysisRun_WithStatus_RoundTrips()
    {
        const string json = """
            {"apiVersion":"rollout.sluice.dev/v1alpha1","kind":"AnalysisRun",
             "metadata":{"name":"r-0-1","namespace":"default"},
             "spec":{"metrics":[{"name":"m","provider":{"web":{"url":"http://x"}},"successCondition":"result"}],
                     "variables":{"namespace":"default","batch":"0"},"pauseSeconds":60,"scoreThresholds":{"pass":90,"marginal":50},"terminate":false},
             "status":{"phase":"Failed","message":"metric m failed","summary":"m Failed 1/1",
                       "startedAt":"2026-01-01T00:00:00+00:00","finishedAt":"2026-01-01T00:01:00+00:00",
                       "decidedBy":{"metric":"m","phase":"Failed","value":[1,2]},
                       "metricResults":[{"name":"m","phase":"Failed","count":1,"successful":0,"failed":1,"inconclusive":0,"error":2,"consecutiveError":0,
                          "measurements":[{"phase":"Error","startedAt":"2026-01-01T00:00:00+00:00","finishedAt":"2026-01-01T00:00:01+00:00","message":"connection refused"},
                                          {"phase":"Failed","value":{"a":0.5},"message":"no"}]}],
                       "score":{"value":50,"passed":1,"judged":2,"phase":"Inconclusive"}}}
            """;

        var run = SluiceJson.Deserialize<AnalysisRun>(JsonNode.Parse(json)!);

        JsonNode.DeepEquals(SluiceJson.ToNode(run), JsonNode.Parse(json)).ShouldBeTrue(SluiceJson.Serialize(run));
        run.Status!.Metric("m")!.Measurements![1].Value!["a"]!.GetValue<double>().ShouldBe(0.5);
    }

    [Fact]
    public void MetricTemplate_RoundTrips()
    {
        const string json = """
            {"apiVersion":"rollout.sluice.dev/v1alpha1","kind":"MetricTemplate","metadata":{"name":"request-success-rate","namespace":"vela-system"},
             "spec":{"provider":{"prometheus":{"query":"sum(rate(x[{{interval}}]))"}},"successCondition":"result >= 99","args":{"reporter":"destination"}}}
            """;

        var template = SluiceJson.Deserialize<MetricTemplate>(JsonNode.Parse(json)!);

        JsonNode.DeepEquals(SluiceJson.ToNode(template), JsonNode.Parse(json)).ShouldBeTrue();
    }

    [Fact]
    public void AnalysisPhase_Unknown_ListsSupportedValues()
    {
        var error = Should.Throw<System.Text.Json.JsonException>(() => SluiceJson.Deserialize<Measurement>(JsonNode.Parse("""{"phase":"Done"}""")!));

        error.Message.ShouldContain("\"Running\", \"Successful\", \"Failed\", \"Inconclusive\", \"Error\"");
    }
}

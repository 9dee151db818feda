using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;

namespace Sluice.Controllers.Tests.Analysis;

public sealed class AnalysisRunReconcilerTests : IDisposable
{
    private static readonly ObjectKey Key = new("default", "app-0-1");
    private readonly FakeKubeApi api = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<double> values = [];
    private readonly StubHttp endpoint;
    private readonly ProviderHttp http;
    private int served;

    public AnalysisRunReconcilerTests()
    {
        endpoint = new StubHttp((_, _) =>
        {
            var value = values[Math.Min(served, values.Count - 1)];
            served++;
            return (HttpStatusCode.OK, $"{{\"data\":{{\"successRate\":{value.ToString(CultureInfo.InvariantCulture)}}}}}");
        });
        http = new ProviderHttp(handler: endpoint);
    }

    public void Dispose() => http.Dispose();

    private AnalysisRunReconciler Controller() =>
        new(api, new MetricMeasurer(new ProviderCredentials(api), new PrometheusClient(http), new WebMetricClient(http), CelConditions.Shared, null, time),
            CelConditions.Shared, null, time, NullLogger.Instance);

    private static JsonObject Metric(string name = "success-rate", int count = 3, int failureLimit = 0, string interval = "10s") => new()
    {
        ["name"] = name,
        ["interval"] = interval,
        ["count"] = count,
        ["failureLimit"] = failureLimit,
        ["consecutiveErrorLimit"] = 2,
        ["provider"] = new JsonObject { ["web"] = new JsonObject { ["url"] = "http://metrics.test/{{namespace}}/{{targetRevision}}", ["jsonPath"] = "$.data.successRate" } },
        ["successCondition"] = "result >= 99",
    };

    private void Create(params JsonObject[] metrics) => api.Put(AnalysisKinds.AnalysisRun, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = Key.Name, ["namespace"] = Key.Namespace, ["resourceVersion"] = "1" },
        ["spec"] = new JsonObject
        {
            ["metrics"] = new JsonArray(metrics.Select(m => (JsonNode)m).ToArray()),
            ["variables"] = new JsonObject { ["namespace"] = "default", ["targetRevision"] = "app-v2" },
        },
    });

    private AnalysisRun Stored() => SluiceJson.Deserialize<AnalysisRun>(api.Peek(AnalysisKinds.AnalysisRun, Key.Namespace, Key.Name)!);

    /// <summary>Reconciles as the work queue would: again after each requeue-after, until the run asks for nothing more.</summary>
    private async Task<int> RunToEndAsync(AnalysisRunReconciler controller, int maxReconciles = 100)
    {
        for (var i = 0; i < maxReconciles; i++)
        {
            var after = await controller.ReconcileAsync(Key, CancellationToken.None);
            if (after is null)
            {
                return i + 1;
            }

            time.Advance(after.Value);
        }

        throw new ShouldAssertException("the run never ended");
    }

    [Fact]
    public async Task Reconcile_HealthyMetric_MeasuresCountTimesAnIntervalApartAndSucceeds()
    {
        values.Add(99.5);
        Create(Metric());

        await RunToEndAsync(Controller());

        var run = Stored();
        run.Status!.Phase.ShouldBe(AnalysisPhase.Successful);
        var measurements = run.Status.Metric("success-rate")!.Measurements!;
        measurements.Select(m => m.Phase).ShouldBe([AnalysisPhase.Successful, AnalysisPhase.Successful, AnalysisPhase.Successful]);
        measurements.Select(m => (m.StartedAt!.Value - run.Status.StartedAt!.Value).TotalSeconds).ShouldBe([0.0, 10, 20]);
        measurements[0].Value!.GetValue<double>().ShouldBe(99.5);
        endpoint.Requests.Select(r => r.Url.ToString()).Distinct().ShouldBe(["http://metrics.test/default/app-v2"]);
        run.Status.Summary.ShouldBe("success-rate Successful 3/3");
    }

    [Fact]
    public async Task Reconcile_BadValues_FailWithinFailureLimitPlusOneMeasurements()
    {
        values.Add(80);
        Create(Metric(count: 5, failureLimit: 1));

        await RunToEndAsync(Controller());

        var status = Stored().Status!;
        status.Phase.ShouldBe(AnalysisPhase.Failed);
        status.Metric("success-rate")!.Measurements!.Count.ShouldBe(2);
        status.Message.ShouldBe("metric success-rate failed: 2 of 2 measurements failed (failureLimit 1): 80: success condition `result >= 99` is false");
        status.DecidedBy!.Metric.ShouldBe("success-rate");
        status.DecidedBy.Value!.GetValue<double>().ShouldBe(80);
        served.ShouldBe(2);
    }

    [Fact]
    public async Task Reconcile_ProviderDown_ErrorsAreRetriedThenTheMetricFailsSayingSo()
    {
        values.Add(99.5);
        endpoint.Fail = new HttpRequestException("Connection refused (metrics.test:80)");
        Create(Metric());

        await RunToEndAsync(Controller());

        var status = Stored().Status!;
        status.Phase.ShouldBe(AnalysisPhase.Failed);
        var result = status.Metric("success-rate")!;
        result.Measurements!.ShouldAllBe(m => m.Phase == AnalysisPhase.Error);
        result.Measurements!.Count.ShouldBe(3);
        (result.Failed, result.Error, result.ConsecutiveError).ShouldBe((0, 3, 3));
        status.Message.ShouldBe("metric success-rate failed: 3 errors in a row (consecutiveErrorLimit 2): GET http://metrics.test/default/app-v2: Connection refused (metrics.test:80)");
    }

    [Fact]
    public async Task Reconcile_NeitherConditionTrue_IsInconclusive()
    {
        values.Add(95);
        var metric = Metric();
        metric["failureCondition"] = "result < 90";
        Create(metric);

        await RunToEndAsync(Controller());

        Stored().Status!.Phase.ShouldBe(AnalysisPhase.Inconclusive);
        Stored().Status!.Message.ShouldBe("metric success-rate is inconclusive: 1 of 1 measurements inconclusive (inconclusiveLimit 0): 95: neither `result >= 99` nor `result < 90` is true");
    }

    [Fact]
    public async Task Reconcile_DryRun_RecordsAFailureAndNeverFails()
    {
        values.Add(50);
        var metric = Metric(count: 2);
        metric["dryRun"] = true;
        metric["failureLimit"] = 5;
        Create(metric);

        await RunToEndAsync(Controller());

        var status = Stored().Status!;
        status.Phase.ShouldBe(AnalysisPhase.Successful);
        status.Metric("success-rate")!.Failed.ShouldBe(2);
    }

    [Theory]
    [InlineData("provider", """{"datadog":{"query":"q"}}""", "spec.metrics[0].provider: Unsupported value: \"datadog\"")]
    [InlineData("successCondition", "\"result >\"", "spec.metrics[0].successCondition: Invalid value: \"result >\": metric \"success-rate\": syntax error: Line 1:8")]
    [InlineData("failureLimit", "-1", "spec.metrics[0].failureLimit: Invalid value: -1: must not be negative")]
    [InlineData("provider", """{"web":{"url":"http://x/{{canaryService}}"}}""", "spec.metrics[0].provider.web.url: unknown variable \"canaryService\"")]
    public async Task Reconcile_InvalidSpec_EndsInErrorNamingTheFieldWithoutMeasuring(string field, string json, string expected)
    {
        var metric = Metric();
        metric[field] = JsonNode.Parse(json);
        Create(metric);

        (await Controller().ReconcileAsync(Key, CancellationToken.None)).ShouldBeNull();

        var status = Stored().Status!;
        status.Phase.ShouldBe(AnalysisPhase.Error);
        status.Message!.ShouldContain(expected);
        endpoint.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Reconcile_ControllerRestartedMidRun_ContinuesFromStatusWithoutRepeatingOrForgetting()
    {
        values.AddRange([99.5, 80, 99.5, 99.5]);
        Create(Metric(count: 4, failureLimit: 1));
        var first = Controller();
        for (var i = 0; i < 2; i++)
        {
            time.Advance((await first.ReconcileAsync(Key, CancellationToken.None))!.Value);
        }

        Stored().Status!.Metric("success-rate")!.Measurements!.Count.ShouldBe(2);

        // A new process: nothing in memory, only what the status says.
        await RunToEndAsync(Controller());

        var status = Stored().Status!;
        status.Phase.ShouldBe(AnalysisPhase.Successful);
        var measurements = status.Metric("success-rate")!.Measurements!;
        measurements.Select(m => m.Value!.GetValue<double>()).ShouldBe([99.5, 80, 99.5, 99.5]);
        measurements.Select(m => m.StartedAt).Distinct().Count().ShouldBe(4);
        served.ShouldBe(4);
    }

    [Fact]
    public async Task Reconcile_StatusWriteConflicts_TheMeasurementIsNeitherRecordedNorActedOn()
    {
        values.AddRange([50, 99.5]);
        Create(Metric(count: 1));
        var controller = Controller();
        api.FailNextWrite = HttpStatusCode.Conflict;

        var after = await controller.ReconcileAsync(Key, CancellationToken.None);
        api.FailNextWrite = null;

        after.ShouldBe(TimeSpan.FromMilliseconds(200));
        served.ShouldBe(1);
        Stored().Status.ShouldBeNull();
        await RunToEndAsync(controller);
        var status = Stored().Status!;
        status.Phase.ShouldBe(AnalysisPhase.Successful);
        status.Metric("success-rate")!.Measurements!.Single().Value!.GetValue<double>().ShouldBe(99.5);
    }

    [Fact]
    public async Task Reconcile_Terminate_StopsWithWhatWasMeasured()
    {
        values.Add(99.5);
        Create(Metric(count: 10));
        var controller = Controller();
        time.Advance((await controller.ReconcileAsync(Key, CancellationToken.None))!.Value - TimeSpan.FromSeconds(1));
        var stored = api.Peek(AnalysisKinds.AnalysisRun, Key.Namespace, Key.Name)!;
        stored["spec"]!["terminate"] = true;
        api.Put(AnalysisKinds.AnalysisRun, stored);

        (await controller.ReconcileAsync(Key, CancellationToken.None)).ShouldBeNull();

        var status = Stored().Status!;
        status.Phase.ShouldBe(AnalysisPhase.Successful);
        status.Message.ShouldBe("terminated (spec.terminate) after 1 measurements, none failed");
        served.ShouldBe(1);
    }

    [Fact]
    public async Task Reconcile_DecidedRun_IsNeverMeasuredAgain()
    {
        values.Add(80);
        Create(Metric(count: 1));
        await RunToEndAsync(Controller());
        var decided = api.Peek(AnalysisKinds.AnalysisRun, Key.Namespace, Key.Name)!.ToJsonString();

        time.Advance(TimeSpan.FromHours(1));
        (await Controller().ReconcileAsync(Key, CancellationToken.None)).ShouldBeNull();

        api.Peek(AnalysisKinds.AnalysisRun, Key.Namespace, Key.Name)!.ToJsonString().ShouldBe(decided);
        served.ShouldBe(1);
    }

    [Fact]
    public async Task Reconcile_NotDueYet_WritesNothingAndSaysWhenToComeBack()
    {
        values.Add(99.5);
        Create(Metric(count: 3, interval: "30s"));
        var controller = Controller();
        (await controller.ReconcileAsync(Key, CancellationToken.None)).ShouldBe(TimeSpan.FromSeconds(30));
        var writes = api.Calls.Count(c => c.StartsWith("status", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromSeconds(12));

        var after = await controller.ReconcileAsync(Key, CancellationToken.None);

        after.ShouldBe(TimeSpan.FromSeconds(18));
        api.Calls.Count(c => c.StartsWith("status", StringComparison.Ordinal)).ShouldBe(writes);
        served.ShouldBe(1);
    }
}

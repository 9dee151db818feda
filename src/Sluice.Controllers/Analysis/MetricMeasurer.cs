using System.Text.Json.Nodes;
using Sluice.Core.Analysis;
using Sluice.Core.Analysis.Judge;
using Sluice.Core.Api;

namespace Sluice.Controllers.Analysis;

/// <summary>
/// Takes one measurement of one (resolved) metric: renders its templates with the run's variables, asks its
/// provider, and judges the value by the metric's conditions (or, for a judged metric, compares the target's samples
/// with the source's). A provider that cannot answer gives an Error measurement (retried, counted against
/// consecutiveErrorLimit), never a failed one.
/// </summary>
public sealed class MetricMeasurer(ProviderCredentials credentials, PrometheusClient prometheus, WebMetricClient web, IConditionEvaluator conditions, Uri? defaultPrometheus, TimeProvider time)
{
    public async Task<Measurement> MeasureAsync(string ns, CanaryMetric metric, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        AnalysisPhase phase;
        string message;
        JsonNode? value = null;
        try
        {
            if (metric.Judge is { } judge)
            {
                var verdict = await JudgeAsync(ns, metric, judge, variables, started, cancellationToken);
                (phase, message, value) = (verdict.Phase, verdict.Message, verdict.Value);
            }
            else
            {
                value = await ValueAsync(ns, metric, MetricVariables.ValuesFor(metric, variables, null), started, cancellationToken);
                (phase, message) = MeasurementVerdict.Decide(metric, value, conditions);
            }
        }
        catch (ProviderException e)
        {
            (phase, message, value) = (AnalysisPhase.Error, e.Message, null);
        }

        Metrics.SluiceMetrics.AnalysisMeasured(ProviderName(metric), phase.ToString());
        return new Measurement { Phase = phase, Value = value, Message = message, StartedAt = started, FinishedAt = time.GetUtcNow() };
    }

    /// <summary>What measured: the judge (comparing samples), else the provider's name, as <c>sluice_analysis_measurements_total</c> labels it.</summary>
    private static string ProviderName(CanaryMetric metric) =>
        metric.Judge is not null ? "judge"
        : metric.Provider?.Prometheus is not null ? "prometheus"
        : metric.Provider?.Web is not null ? "web"
        : "none";

    private async Task<JsonNode?> ValueAsync(string ns, CanaryMetric metric, Dictionary<string, string> values, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var provider = metric.Provider ?? throw new ProviderException($"metric {metric.Name} has no provider");
        if (provider.Prometheus is { } p)
        {
            var query = Render(p.Query ?? string.Empty, values, "query");
            var auth = await credentials.ReadAsync(ns, p.SecretRef, p.InsecureSkipVerify ?? false, cancellationToken);
            var timeout = p.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : PrometheusClient.DefaultTimeout;
            if (p.Step is not null)
            {
                var samples = await prometheus.SamplesAsync(AddressOf(p, values), query, at - MetricAnalysis.IntervalOf(metric), at, MetricAnalysis.StepOf(metric), auth, timeout, cancellationToken);
                return new JsonArray(samples.Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
            }

            return await prometheus.QueryAsync(AddressOf(p, values), query, at, auth, timeout, cancellationToken);
        }

        if (provider.Web is { } w)
        {
            var url = Render(w.Url ?? string.Empty, values, "url");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                throw new ProviderException($"url \"{url}\" is not an absolute URL");
            }

            var headers = (w.Headers ?? new Dictionary<string, string>()).ToDictionary(h => h.Key, h => Render(h.Value, values, $"headers[{h.Key}]"));
            var body = w.Body is null ? null : Render(w.Body, values, "body");
            var path = w.JsonPath is null ? null : JsonPathSelector.Parse(w.JsonPath, out var pathError) ?? throw new ProviderException($"jsonPath {w.JsonPath}: {pathError}");
            var auth = await credentials.ReadAsync(ns, w.SecretRef, w.InsecureSkipVerify ?? false, cancellationToken);
            var method = new HttpMethod((w.Method ?? WebMetricMethod.GET).ToString());
            var timeout = w.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : WebMetricClient.DefaultTimeout;
            return await web.GetAsync(method, uri, headers, body, path, auth, timeout, cancellationToken);
        }

        throw new ProviderException($"metric {metric.Name}: no provider Sluice knows");
    }

    private async Task<JudgeVerdict> JudgeAsync(string ns, CanaryMetric metric, MetricJudge judge, IReadOnlyDictionary<string, string> variables, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var p = metric.Provider?.Prometheus ?? throw new ProviderException($"metric {metric.Name}: the judge needs a prometheus provider");
        var target = variables.GetValueOrDefault(MetricVariables.TargetRevision) ?? string.Empty;
        var source = variables.GetValueOrDefault(MetricVariables.SourceRevision) ?? string.Empty;
        if (source.Length == 0)
        {
            return new JudgeVerdict(AnalysisPhase.Inconclusive, "no source revision to compare the target with (a scale-up from nothing)", new JsonObject());
        }

        var auth = await credentials.ReadAsync(ns, p.SecretRef, p.InsecureSkipVerify ?? false, cancellationToken);
        var timeout = p.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : PrometheusClient.DefaultTimeout;
        var start = at - MetricAnalysis.IntervalOf(metric);
        var step = MetricAnalysis.StepOf(metric);
        async Task<IReadOnlyList<double>> Samples(string revision)
        {
            var values = MetricVariables.ValuesFor(metric, variables, revision);
            return await prometheus.SamplesAsync(AddressOf(p, values), Render(p.Query ?? string.Empty, values, "query"), start, at, step, auth, timeout, cancellationToken);
        }

        var targetSamples = await Samples(target);
        var sourceSamples = await Samples(source);
        return SampleJudge.Judge(targetSamples, sourceSamples, judge);
    }

    private Uri AddressOf(PrometheusMetric p, Dictionary<string, string> values)
    {
        if (p.Address is { Length: > 0 } address)
        {
            var rendered = Render(address, values, "address");
            return Uri.TryCreate(rendered, UriKind.Absolute, out var uri) ? uri : throw new ProviderException($"address \"{rendered}\" is not an absolute URL");
        }

        return defaultPrometheus ?? throw new ProviderException("no prometheus address: the metric gives none and the controller has no default (--prometheus-address)");
    }

    private static string Render(string template, Dictionary<string, string> values, string field) =>
        QueryTemplate.Render(template, values, out var error) ?? throw new ProviderException($"{field}: {error}");
}

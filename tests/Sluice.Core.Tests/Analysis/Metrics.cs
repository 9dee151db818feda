using System.Text.Json.Nodes;
using Sluice.Core.Analysis;
using Sluice.Core.Api;

namespace Sluice.Core.Tests.Analysis;

/// <summary>Metrics and measurements for the analysis tests.</summary>
internal static class Metrics
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static CanaryMetric Prometheus(string name = "error-rate", string query = "sum(x{v=\"{{targetRevision}}\"})") => new()
    {
        Name = name,
        Provider = new MetricProvider { Prometheus = new PrometheusMetric { Query = query } },
        SuccessCondition = "result < 5",
    };

    public static Measurement At(AnalysisPhase phase, double seconds, double? value = null) => new()
    {
        Phase = phase,
        Value = value is { } v ? JsonValue.Create(v) : null,
        StartedAt = T0.AddSeconds(seconds),
        FinishedAt = T0.AddSeconds(seconds),
        Message = $"{phase} at {seconds}s",
    };

    public static MetricResult Result(string name, params Measurement[] measurements) =>
        new() { Name = name, Measurements = measurements };

    /// <summary>A condition evaluator over numbers only: "result OP N" with OP one of &lt; &lt;= &gt; &gt;=.</summary>
    public sealed class Comparisons : IConditionEvaluator
    {
        public bool Evaluate(string expression, JsonNode? result)
        {
            var parts = expression.Split(' ');
            if (!JsonNumbers.TryGetDouble(result, out var value))
            {
                throw new ConditionException($"no such overload: {parts[1]} over {result?.ToJsonString() ?? "null"}");
            }

            var bound = double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
            return parts[1] switch
            {
                "<" => value < bound,
                "<=" => value <= bound,
                ">" => value > bound,
                ">=" => value >= bound,
                _ => throw new ConditionException($"unknown operator {parts[1]}"),
            };
        }
    }
}

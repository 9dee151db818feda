using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>The names a query, URL, header or body may use as <c>{{name}}</c> (and <c>{{args.NAME}}</c>).</summary>
public static class MetricVariables
{
    public const string Namespace = "namespace";
    public const string Component = "component";
    public const string Service = "service";
    public const string CanaryService = "canaryService";
    public const string SourceRevision = "sourceRevision";
    public const string TargetRevision = "targetRevision";
    public const string Interval = "interval";
    public const string Batch = "batch";

    /// <summary>A judged query's revision: the target's, then the source's.</summary>
    public const string Revision = "revision";

    /// <summary>A range query's step (a judge's sample spacing).</summary>
    public const string Step = "step";

    public const string ArgsPrefix = "args.";

    /// <summary>The variables an AnalysisRun carries in spec.variables.</summary>
    public static readonly IReadOnlyList<string> RunVariables = [Namespace, Component, Service, CanaryService, SourceRevision, TargetRevision, Batch];

    /// <summary>Every name a template may use besides args.</summary>
    public static readonly IReadOnlyList<string> All = [.. RunVariables, Interval, Step, Revision];

    /// <summary>
    /// The values a metric's templates are rendered with: the run's variables, the metric's interval and step (as
    /// PromQL durations), its args as args.NAME, and for a judged query the revision being sampled.
    /// </summary>
    public static Dictionary<string, string> ValuesFor(CanaryMetric metric, IReadOnlyDictionary<string, string> variables, string? revision)
    {
        var values = new Dictionary<string, string>(variables, StringComparer.Ordinal)
        {
            [Interval] = GoDuration.Format(MetricAnalysis.IntervalOf(metric)),
            [Step] = GoDuration.Format(MetricAnalysis.StepOf(metric)),
        };
        foreach (var (name, value) in metric.Args ?? new Dictionary<string, string>())
        {
            values[ArgsPrefix + name] = value;
        }

        if (revision is not null)
        {
            values[Revision] = revision;
        }

        return values;
    }
}

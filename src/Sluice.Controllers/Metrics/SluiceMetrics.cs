using System.Diagnostics.Metrics;

namespace Sluice.Controllers.Metrics;

/// <summary>
/// The controller's metrics, as <see cref="System.Diagnostics.Metrics"/> instruments of the meter <see cref="MeterName"/>;
/// <c>sluice controller</c> serves them on <c>/metrics</c> of its health port through OpenTelemetry's Prometheus exporter,
/// which names them as listed in docs/install.md (dots become underscores, seconds get <c>_seconds</c>, counters <c>_total</c>).
/// Recording is cheap and needs no listener; everything here is safe to call from any thread. Gauges read the sources
/// registered with <see cref="Register"/> when they are collected.
/// </summary>
public static class SluiceMetrics
{
    public const string MeterName = "Sluice.Controllers";

    /// <summary>Seconds: from a millisecond API call to a reconcile that waited a minute on a webhook.</summary>
    private static readonly double[] ShortSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Seconds: a rollout takes from seconds to hours.</summary>
    private static readonly double[] LongSeconds = [5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 43200, 86400];

    private static readonly Meter Meter = new(MeterName, typeof(SluiceMetrics).Assembly.GetName().Version?.ToString());
    private static readonly Lock Gate = new();
    private static readonly List<IMetricsSource> Sources = [];

    private static readonly Histogram<double> ReconcileDuration = Meter.CreateHistogram("sluice.reconcile.duration", "s",
        "How long one reconcile took, by controller and result (success, error).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortSeconds });

    private static readonly Counter<long> ReconcileErrors = Meter.CreateCounter<long>("sluice.reconcile.errors", null,
        "Reconciles that failed and were queued again with backoff, by controller.");

    private static readonly Counter<long> QueueAdds = Meter.CreateCounter<long>("sluice.workqueue.adds", null,
        "Keys added to a work queue (a key already waiting counts again), by queue.");

    private static readonly Counter<long> QueueRetries = Meter.CreateCounter<long>("sluice.workqueue.retries", null,
        "Keys queued again after an error (with backoff), by queue.");

    private static readonly Histogram<double> QueueLatency = Meter.CreateHistogram("sluice.workqueue.queue.duration", "s",
        "How long a key waited in a work queue before a worker took it, by queue.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortSeconds });

    private static readonly Counter<long> ApiRequests = Meter.CreateCounter<long>("sluice.api.requests", null,
        "Requests to the Kubernetes API, by verb, resource and HTTP status code (0: no answer).");

    private static readonly Histogram<double> ApiDuration = Meter.CreateHistogram("sluice.api.request.duration", "s",
        "How long a Kubernetes API request took (a watch: until its answer began), by verb.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortSeconds });

    private static readonly Counter<long> WebhookCalls = Meter.CreateCounter<long>("sluice.webhook.calls", null,
        "Rollout webhook calls, by phase and outcome (passed, rejected, timeout, error, invalid).");

    private static readonly Counter<long> AnalysisMeasurements = Meter.CreateCounter<long>("sluice.analysis.measurements", null,
        "Analysis measurements taken, by provider and the phase of the measurement (Successful, Failed, Inconclusive, Error).");

    private static readonly Histogram<double> RolloutDuration = Meter.CreateHistogram("sluice.rollout.duration", "s",
        "How long a rollout took from the start of verification to its end, by outcome (succeeded, failed, aborted).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LongSeconds });

    private static readonly Counter<long> Notifications = Meter.CreateCounter<long>("sluice.notifications", null,
        "Notifications sent, by trigger, service type and outcome (delivered, failed).");

    static SluiceMetrics()
    {
        Meter.CreateObservableGauge("sluice.rollout.info", () => Collect(s => s.RolloutInfo()),
            description: "1 for every AppRollout, with its strategy (batches, canary, blueGreen), router, source and target revisions.");
        Meter.CreateObservableGauge("sluice.rollout.phase", () => Collect(s => s.RolloutPhase()),
            description: "1 for every AppRollout, labelled with its rolling state and batch state.");
        Meter.CreateObservableGauge("sluice.rollout.batch", () => Collect(s => s.RolloutBatch()),
            description: "The batch an AppRollout is rolling, from 1 (0 before the batches start).");
        Meter.CreateObservableGauge("sluice.rollout.batches", () => Collect(s => s.RolloutBatches()),
            description: "How many batches an AppRollout's plan has.");
        Meter.CreateObservableGauge("sluice.workqueue.depth", () => Collect(s => s.QueueDepth()),
            description: "Keys waiting in a work queue, by queue.");
        Meter.CreateObservableGauge("sluice.leader", () => Collect(s => s.Leader()),
            description: "1 while this controller holds the leader-election Lease, else 0, by identity.");
    }

    /// <summary>Adds a source of gauge values until the returned handle is disposed.</summary>
    public static IDisposable Register(IMetricsSource source)
    {
        lock (Gate)
        {
            Sources.Add(source);
        }

        return new Registration(source);
    }

    public static void Reconciled(string controller, TimeSpan duration, bool failed)
    {
        ReconcileDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("controller", controller), new KeyValuePair<string, object?>("result", failed ? "error" : "success"));
        if (failed)
        {
            ReconcileErrors.Add(1, new KeyValuePair<string, object?>("controller", controller));
        }
    }

    /// <summary>Starts a queue's counters at 0, so a dashboard finds the series before the first retry.</summary>
    public static void QueueCreated(string queue)
    {
        QueueAdds.Add(0, new KeyValuePair<string, object?>("name", queue));
        QueueRetries.Add(0, new KeyValuePair<string, object?>("name", queue));
    }

    /// <summary>Starts a controller's error counter at 0, so a dashboard finds the series before the first error.</summary>
    public static void ControllerStarted(string controller) => ReconcileErrors.Add(0, new KeyValuePair<string, object?>("controller", controller));

    public static void QueueAdded(string queue) => QueueAdds.Add(1, new KeyValuePair<string, object?>("name", queue));

    public static void QueueRetried(string queue) => QueueRetries.Add(1, new KeyValuePair<string, object?>("name", queue));

    public static void QueueWaited(string queue, TimeSpan waited) => QueueLatency.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("name", queue));

    /// <summary>An API request answered <paramref name="code"/> (0 when no answer came: a network error, a timeout).</summary>
    public static void ApiRequested(string verb, string resource, int code, TimeSpan duration)
    {
        ApiRequests.Add(1, new("verb", verb), new("resource", resource), new("code", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        ApiDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("verb", verb));
    }

    public static void WebhookCalled(string phase, string outcome) =>
        WebhookCalls.Add(1, new KeyValuePair<string, object?>("phase", phase), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>For the analysis controller: one measurement of <paramref name="provider"/> (prometheus, web, judge...) ended in <paramref name="phase"/>.</summary>
    public static void AnalysisMeasured(string provider, string phase) =>
        AnalysisMeasurements.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("phase", phase));

    public static void RolloutEnded(string outcome, TimeSpan duration) =>
        RolloutDuration.Record(Math.Max(0, duration.TotalSeconds), new KeyValuePair<string, object?>("outcome", outcome));

    public static void Notified(string trigger, string serviceType, bool delivered) =>
        Notifications.Add(1, new("trigger", trigger), new("service_type", serviceType), new("outcome", delivered ? "delivered" : "failed"));

    private static List<Measurement<long>> Collect(Func<IMetricsSource, IEnumerable<Measurement<long>>> read)
    {
        IMetricsSource[] sources;
        lock (Gate)
        {
            sources = [.. Sources];
        }

        return sources.SelectMany(read).ToList();
    }

    private sealed class Registration(IMetricsSource source) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                Sources.Remove(source);
            }
        }
    }
}

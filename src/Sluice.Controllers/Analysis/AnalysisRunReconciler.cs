using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Rollouts;
using Sluice.Controllers.Runtime;
using Sluice.Controllers.Workloads;
using Sluice.Core.Analysis;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Analysis;

/// <summary>
/// One reconcile of one AnalysisRun: validate it once (an invalid run ends in Error with every reason), take the
/// measurements that are due, write them into status together with what they decide, and ask to be called again
/// when the next one falls due (requeue-after; nothing polls). The status write carries the read
/// resourceVersion: a measurement is acted on only once it is recorded, and a conflict discards what this reconcile
/// measured, so a restarted or competing controller continues from status, never repeating or forgetting a
/// decision. A decided run (Successful, Failed, Inconclusive, Error) is never touched again.
/// </summary>
public sealed class AnalysisRunReconciler(IKubeApi api, MetricMeasurer measurer, IConditionChecker conditions, EventRecorder? recorder, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromMilliseconds(200);

    /// <summary>Measurements taken by this process (for tests and the metrics endpoint).</summary>
    public long Measurements => Interlocked.Read(ref measurements);

    private long measurements;

    public async Task<TimeSpan?> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var stored = await api.GetAsync(AnalysisKinds.AnalysisRun, key.Namespace, key.Name, cancellationToken);
        if (stored is null || JsonPath.Get(stored, "metadata.deletionTimestamp") is not null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        AnalysisRun run;
        try
        {
            run = SluiceJson.Deserialize<AnalysisRun>(stored);
        }
        catch (JsonException e)
        {
            if (stored["status"]?["phase"] is null)
            {
                await WriteAsync(stored, RunAnalysis.Invalid([new AnalysisError(e.Path ?? "$", $"{(e.Path ?? "$").TrimStart('$', '.')}: {e.Message}")], now), cancellationToken);
            }

            return null;
        }

        if (RunAnalysis.IsTerminal(run.Status?.Phase))
        {
            return null;
        }

        var status = run.Status;
        if (status?.Phase is null)
        {
            var errors = AnalysisRunValidation.Validate(run.Spec, conditions);
            if (errors.Count > 0)
            {
                var invalid = RunAnalysis.Invalid(errors, now);
                if (await WriteAsync(stored, invalid, cancellationToken))
                {
                    recorder?.Record(stored, RecordedEvent.Warn("AnalysisInvalid", invalid.Message!));
                }

                return null;
            }

            status = RunAnalysis.Start(run.Spec, now);
        }

        var progress = RunAnalysis.Evaluate(run.Spec, status, now);
        if (progress.Due.Count > 0)
        {
            var variables = run.Spec.Variables ?? new Dictionary<string, string>();
            var due = progress.Due.Select(name => run.Spec.Metrics!.First(m => m.Name == name)).ToList();
            var taken = await Task.WhenAll(due.Select(m => measurer.MeasureAsync(key.Namespace, m, variables, cancellationToken)));
            Interlocked.Add(ref measurements, taken.Length);
            var next = status;
            for (var i = 0; i < due.Count; i++)
            {
                logger.LogDebug("{Run}: {Metric} {Phase}: {Message}", key, due[i].Name, taken[i].Phase, taken[i].Message);
                next = RunAnalysis.Record(next, due[i], taken[i]);
            }

            now = time.GetUtcNow();
            progress = RunAnalysis.Evaluate(run.Spec, next, now);
        }

        if (!await WriteAsync(stored, progress.Status, cancellationToken))
        {
            return ConflictRetry;
        }

        if (progress.IsDecided)
        {
            var phase = progress.Status.Phase!.Value;
            recorder?.Record(stored, phase == AnalysisPhase.Successful
                ? RecordedEvent.Normal("AnalysisSuccessful", progress.Status.Message ?? string.Empty)
                : RecordedEvent.Warn($"Analysis{phase}", progress.Status.Message ?? string.Empty));
            logger.LogInformation("{Run}: {Phase}: {Message}", key, phase, progress.Status.Message);
            return null;
        }

        return progress.Due.Count > 0 || progress.NextAt is not { } at ? TimeSpan.Zero : Max(at - now, TimeSpan.Zero);
    }

    /// <summary>Writes the status when it changed; false on a conflict (someone else wrote: reconcile again).</summary>
    private async Task<bool> WriteAsync(JsonObject stored, AnalysisRunStatus status, CancellationToken cancellationToken)
    {
        var next = SluiceJson.ToNode(status);
        if (JsonNode.DeepEquals(stored["status"], next))
        {
            return true;
        }

        var update = stored.DeepClone().AsObject();
        update["status"] = next;
        try
        {
            await api.ReplaceStatusAsync(AnalysisKinds.AnalysisRun, JsonPath.String(stored, "metadata.namespace"), update, cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            logger.LogDebug("status of analysis run {Name} changed meanwhile; measuring again from what was recorded", JsonPath.String(stored, "metadata.name"));
            return false;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return true;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

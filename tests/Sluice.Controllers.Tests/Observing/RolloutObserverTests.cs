using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.Controllers.Metrics;
using Sluice.Controllers.Observing;
using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Tests.Observing;

public sealed class RolloutObserverTests : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentBag<(double Seconds, string Outcome)> durations = [];
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    public RolloutObserverTests()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SluiceMetrics.MeterName && instrument.Name == "sluice.rollout.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    durations.Add((value, (string)tag.Value!));
                }
            }
        });
        listener.Start();
    }

    public void Dispose() => listener.Dispose();

    private static JsonObject Rollout(string name, string? state, string? failedReason = null, string verifiedAt = "2026-12-03T11:00:00Z")
    {
        var conditions = new JsonArray(new JsonObject { ["type"] = "RolloutSpecVerifying", ["status"] = "True", ["lastTransitionTime"] = verifiedAt });
        if (failedReason is not null)
        {
            conditions.Add(new JsonObject { ["type"] = "RolloutFailed", ["status"] = "True", ["reason"] = failedReason, ["lastTransitionTime"] = verifiedAt });
        }

        return new JsonObject
        {
            ["apiVersion"] = "core.oam.dev/v1beta1",
            ["kind"] = "AppRollout",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "observer-tests" },
            ["spec"] = new JsonObject
            {
                ["targetAppRevisionName"] = "web-v2",
                ["rolloutPlan"] = new JsonObject { ["rolloutBatches"] = new JsonArray(new JsonObject { ["replicas"] = 1 }, new JsonObject { ["replicas"] = 1 }) },
            },
            ["status"] = state is null ? null : new JsonObject { ["rollingState"] = state, ["currentBatch"] = 1, ["batchRollingState"] = "batchInRolling", ["conditions"] = conditions },
        };
    }

    [Fact]
    public void Observe_SeenFromTheStartToSuccess_RecordsTheDurationItSaw()
    {
        var observer = new RolloutObserver(time);

        observer.Observe(new InformerEvent(InformerEventType.Added, Rollout("seen", null)));
        observer.Observe(new InformerEvent(InformerEventType.Modified, Rollout("seen", "rollingInBatches", verifiedAt: "2026-12-03T12:00:00Z")));
        time.Advance(TimeSpan.FromSeconds(42.5));
        observer.Observe(new InformerEvent(InformerEventType.Modified, Rollout("seen", "rolloutSucceed", verifiedAt: "2026-12-03T12:00:00Z")));
        observer.Observe(new InformerEvent(InformerEventType.Modified, Rollout("seen", "rolloutSucceed", verifiedAt: "2026-12-03T12:00:00Z")));

        durations.Count(d => d == (42.5, "succeeded")).ShouldBe(1);
    }

    [Fact]
    public void Observe_JoinedMidWayThenAborted_MeasuresFromTheStartTheStatusRecords()
    {
        var observer = new RolloutObserver(time);

        observer.Observe(new InformerEvent(InformerEventType.Added, Rollout("joined", "rollingInBatches")));
        time.Advance(TimeSpan.FromSeconds(7));
        observer.Observe(new InformerEvent(InformerEventType.Modified, Rollout("joined", "rolloutFailed", failedReason: "Aborted")));

        durations.ShouldContain((3607.0, "aborted"));
    }

    [Fact]
    public void Observe_AlreadyEndedWhenFirstSeen_RecordsNothingAndReportsItsPhase()
    {
        var observer = new RolloutObserver(time);

        observer.Observe(new InformerEvent(InformerEventType.Added, Rollout("ended", "rolloutFailed", failedReason: "BatchFailed", verifiedAt: "2026-12-03T10:00:00Z")));

        durations.ShouldNotContain(d => d.Outcome == "failed" && d.Seconds == 7200);
        var phase = ((IMetricsSource)observer).RolloutPhase().Single();
        phase.Value.ShouldBe(1);
        phase.Tags.ToArray().ShouldContain(new KeyValuePair<string, object?>("state", "rolloutFailed"));
        ((IMetricsSource)observer).RolloutBatch().Single().Value.ShouldBe(2);
        ((IMetricsSource)observer).RolloutBatches().Single().Value.ShouldBe(2);
    }
}

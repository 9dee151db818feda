using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Operations;

namespace Sluice.Controllers.Rollouts;

/// <summary>
/// Keeps a following AppRollout (<c>spec.follow.application</c>) pointed at its Application's revisions
/// (<see cref="RolloutFollowing"/> decides): marks the revision a rollout failed on, and writes the spec's source and target
/// with the resourceVersion it read, so that a concurrent change is never overwritten. The engine then sees an ordinary
/// changed spec. Revisions it has not seen are found from the revision list (an index of the informer's cache).
/// </summary>
public sealed class RolloutFollower(IKubeApi api, WorkloadKinds kinds)
{
    private const string AppNameLabel = "app.oam.dev/name";

    /// <summary>What one look did: the spec was changed (the reconcile ends here; its watch event brings the rollout back), and what to record.</summary>
    public sealed record Outcome(bool SpecChanged, IReadOnlyList<RecordedEvent> Events);

    public async Task<Outcome> SyncAsync(AppRollout rollout, JsonObject stored, CancellationToken cancellationToken)
    {
        var ns = rollout.Metadata.Namespace ?? "default";
        var app = rollout.Spec.Follow?.Application;
        if (string.IsNullOrEmpty(app))
        {
            return new Outcome(false, []);
        }

        var list = await api.ListAsync(ResourceKind.ApplicationRevision, ns, $"{AppNameLabel}={app}", cancellationToken);
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(r => JsonPath.Get(r, "metadata.deletionTimestamp") is null)
            .Select(r => (Object: r, Name: JsonPath.String(r, "metadata.name") ?? string.Empty))
            .Where(r => RevisionResolver.RevisionNumber(r.Name) is not null)
            .ToList();
        var revisions = items.Select(r => new FollowedRevision(r.Name, RevisionResolver.RevisionNumber(r.Name)!.Value, JsonPath.Annotation(r.Object, RolloutFollowing.FailedAnnotation))).ToList();
        var running = string.IsNullOrEmpty(rollout.Spec.TargetAppRevisionName) && revisions.Count > 0
            ? await RunningRevisionAsync(rollout, ns, items.OrderByDescending(r => RevisionResolver.RevisionNumber(r.Name)).Select(r => r.Object).ToList(), cancellationToken)
            : null;

        var step = RolloutFollowing.Decide(rollout, revisions, running);
        var events = new List<RecordedEvent>();
        if (step.MarkFailed is { } failed)
        {
            var mark = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["annotations"] = new JsonObject { [RolloutFollowing.FailedAnnotation] = $"{rollout.Metadata.Name}: {step.FailedReason}" },
                },
            };
            await api.MergePatchAsync(ResourceKind.ApplicationRevision, ns, failed, mark, null, cancellationToken);
            events.Add(RecordedEvent.Warn("RevisionMarkedFailed",
                $"{failed} failed ({step.FailedReason}); marked {RolloutFollowing.FailedAnnotation}: it is not rolled out again until Application {app} changes"));
        }

        if (step.ClearMark is { } cleared)
        {
            var unmark = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RolloutFollowing.FailedAnnotation] = null } } };
            await api.MergePatchAsync(ResourceKind.ApplicationRevision, ns, cleared, unmark, null, cancellationToken);
        }

        if (!step.ChangesSpec)
        {
            return new Outcome(false, events);
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = JsonPath.String(stored, "metadata.resourceVersion") },
            ["spec"] = new JsonObject
            {
                ["sourceAppRevisionName"] = string.IsNullOrEmpty(step.Source) ? null : step.Source,
                ["targetAppRevisionName"] = step.Target,
            },
        };
        await api.MergePatchAsync(ResourceKind.AppRollout, ns, rollout.Metadata.Name!, patch, null, cancellationToken);
        events.Add(RecordedEvent.Normal("FollowingRevision", step.Message!));
        return new Outcome(true, events);
    }

    /// <summary>
    /// For a rollout that names no revision yet: the revision the component's workload already runs (its rollout marks: an
    /// object named after the component, or the per-revision objects of a two-object kind with pods), or null.
    /// </summary>
    private async Task<string?> RunningRevisionAsync(AppRollout rollout, string ns, IReadOnlyList<JsonObject> newestFirst, CancellationToken cancellationToken)
    {
        var components = JsonPath.Get(newestFirst[0], "spec.components") as JsonArray ?? [];
        var named = rollout.Spec.ComponentList is [var only] ? only : null;
        var component = components.OfType<JsonObject>().FirstOrDefault(c => named is null || JsonPath.String(c, "name") == named);
        if (component is null || JsonPath.String(component, "name") is not { } name || JsonPath.Get(component, "workload") is not JsonObject workload
            || kinds.Find(JsonPath.String(workload, "apiVersion"), JsonPath.String(workload, "kind")) is not { } kind)
        {
            return null;
        }

        if (await api.GetAsync(kind.Resource, ns, name, cancellationToken) is { } inPlace)
        {
            return JsonPath.Annotation(inPlace, WorkloadMarks.Revision) ?? ((JsonPath.Get(inPlace, "metadata.labels") as JsonObject)?["app.oam.dev/appRevision"] as JsonValue)?.GetValue<string>();
        }

        foreach (var revision in newestFirst)
        {
            var revisionName = JsonPath.String(revision, "metadata.name")!;
            var perRevision = $"{name}-v{RevisionResolver.RevisionNumber(revisionName)!.Value.ToString(CultureInfo.InvariantCulture)}";
            if (await api.GetAsync(kind.Resource, ns, perRevision, cancellationToken) is { } twoObject && JsonPath.Int(twoObject, kind.ReplicasPath ?? "spec.replicas", 0) > 0)
            {
                return revisionName;
            }
        }

        return null;
    }
}

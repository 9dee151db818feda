using System.Text.Json.Nodes;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Workloads;

/// <summary>What the in-place kinds (CloneSet, StatefulSet, DaemonSet) share: the snapshot from a partition and counts, and the take-over.</summary>
internal static class InPlaceSnapshot
{
    /// <param name="onTarget">The workload's template is the target revision's (else the source's, when reverting).</param>
    /// <param name="settled">Whether the kind's controller has seen the latest spec (default: <c>status.observedGeneration</c>).</param>
    public static WorkloadSnapshot Build(JsonObject workload, RolloutTarget target, int replicas, int partition, bool onTarget, InPlaceCounts counts, bool? settled = null)
    {
        var upgrade = target.Mode == RolloutMode.Upgrade;
        var heldHere = WorkloadMarks.HeldBy(workload, target);
        var template = WorkloadMarks.TemplateRevision(workload);
        var revertedTemplate = upgrade && target.Source is { } source && template == source.RevisionName;
        // A third revision's template (a target redirected mid-way: v1 -> v2 became v1 -> v3): the counts split that
        // revision's pods from the rest, and neither part is the target's. No pod is on the target; every pod is "other".
        if (upgrade && !onTarget && !revertedTemplate && template is not null)
        {
            // (Off the target, "updated" pods count as the source's and the others as the target's.)
            counts = new InPlaceCounts(counts.Updated + counts.Others, counts.UpdatedReady + counts.OthersReady, 0, 0);
        }

        return new WorkloadSnapshot
        {
            Style = WorkloadStyle.InPlace,
            Exists = true,
            Prepared = heldHere && (onTarget || !upgrade),
            Settled = settled ?? JsonPath.Settled(workload),
            RequestedTarget = upgrade ? (onTarget ? replicas - partition : 0) : replicas,
            RevertRequested = upgrade ? revertedTemplate && partition == 0 : replicas == target.OriginalSize,
            TargetPods = !upgrade ? counts.Updated + counts.Others : onTarget ? counts.Updated : counts.Others,
            TargetReady = !upgrade ? counts.UpdatedReady + counts.OthersReady : onTarget ? counts.UpdatedReady : counts.OthersReady,
            SourcePods = !upgrade ? 0 : onTarget ? counts.Others : counts.Updated,
            SourceReady = !upgrade ? 0 : onTarget ? counts.OthersReady : counts.UpdatedReady,
        };
    }

    /// <summary>Marks the workload as the rollout's and puts <paramref name="revision"/>'s template (and other spec fields) in place.</summary>
    public static void TakeOver(JsonObject workload, RolloutTarget target, WorkloadReference revision, string templatePath = "spec.template")
    {
        WorkloadMarks.Hold(workload, target);
        WorkloadMarks.SetMapEntry(workload, "metadata.annotations", WorkloadMarks.Revision, revision.RevisionName);
        // The revision's own labels (app.oam.dev/appRevision among them) go with its template.
        foreach (var (key, value) in JsonPath.Get(revision.Manifest, "metadata.labels") as JsonObject ?? [])
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var label))
            {
                WorkloadMarks.SetMapEntry(workload, "metadata.labels", key, label);
            }
        }

        JsonPath.Set(workload, templatePath, WorkloadMarks.StampedTemplate(revision, templatePath));
        if (JsonPath.Get(revision.Manifest, "spec.updateStrategy.type") is JsonValue type)
        {
            JsonPath.Set(workload, "spec.updateStrategy.type", type.DeepClone());
        }
    }

    /// <summary>
    /// The intents to fold into a workload that does not exist yet: those after the take-over that creates it, or
    /// null when none takes it over (then nothing is created).
    /// </summary>
    public static IEnumerable<WorkloadIntent>? AfterTakeOver(IReadOnlyList<WorkloadIntent> intents)
    {
        var prepare = intents.ToList().FindIndex(i => i is PrepareWorkload);
        return prepare < 0 ? null : intents.Skip(prepare + 1);
    }

    /// <summary>A new workload from the target revision's manifest, held by the rollout.</summary>
    public static JsonObject NewWorkload(RolloutTarget target, int replicas, int? partition)
    {
        var workload = target.Target.Manifest.DeepClone().AsObject();
        JsonPath.Set(workload, "metadata.name", target.Target.Name);
        JsonPath.Set(workload, "metadata.namespace", target.Target.Namespace);
        workload.Remove("status");
        TakeOver(workload, target, target.Target);
        JsonPath.Set(workload, "spec.replicas", replicas);
        if (partition is { } p)
        {
            JsonPath.Set(workload, "spec.updateStrategy.partition", p);
        }

        return workload;
    }
}

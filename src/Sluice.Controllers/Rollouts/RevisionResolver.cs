using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Rollouts;

/// <summary>
/// Locates an AppRollout's revisions, its component and the workload(s) to drive. A revision that does not
/// exist yet is a problem to wait for (an Application and its rollout are often applied together); a
/// component or kind that cannot work is a verification error that fails the rollout before anything is touched.
/// </summary>
public sealed partial class RevisionResolver(IKubeApi api, WorkloadKinds kinds)
{
    private const string AppNameLabel = "app.oam.dev/name";

    public async Task<ResolvedRollout> ResolveAsync(AppRollout rollout, CancellationToken cancellationToken)
    {
        var ns = rollout.Metadata.Namespace ?? "default";
        var spec = rollout.Spec;
        if (string.IsNullOrEmpty(spec.TargetAppRevisionName))
        {
            if (spec.Follow?.Application is { Length: > 0 } followed)
            {
                // The follower names the revisions once the Application has one.
                return await api.GetAsync(ResourceKind.Application, ns, followed, cancellationToken) is null
                    ? Missing("ApplicationNotFound", $"spec.follow.application: Application \"{followed}\" not found in namespace \"{ns}\"")
                    : Missing("WaitingForRevision", $"Application \"{followed}\" has no revision yet");
            }

            return Missing("MissingTarget", "spec.targetAppRevisionName: Required value");
        }

        var targetRevision = await api.GetAsync(ResourceKind.ApplicationRevision, ns, spec.TargetAppRevisionName, cancellationToken);
        if (targetRevision is null)
        {
            return Missing("RevisionNotFound", $"ApplicationRevision \"{spec.TargetAppRevisionName}\" not found in namespace \"{ns}\"");
        }

        var hasSource = !string.IsNullOrEmpty(spec.SourceAppRevisionName) && spec.SourceAppRevisionName != spec.TargetAppRevisionName;
        JsonObject? sourceRevision = null;
        if (hasSource)
        {
            sourceRevision = await api.GetAsync(ResourceKind.ApplicationRevision, ns, spec.SourceAppRevisionName!, cancellationToken);
            if (sourceRevision is null)
            {
                return Missing("RevisionNotFound", $"ApplicationRevision \"{spec.SourceAppRevisionName}\" (the source) not found in namespace \"{ns}\"");
            }
        }

        var targetComponents = Components(targetRevision);
        var sourceComponents = sourceRevision is null ? null : Components(sourceRevision);
        var component = PickComponent(spec, targetComponents, sourceComponents, out var componentProblem);
        if (component is null)
        {
            return Unusable(componentProblem!);
        }

        var targetManifest = targetComponents[component];
        if (spec.Follow?.Application is { Length: > 0 } app && !LeftToRollouts(targetRevision, component))
        {
            return Unusable($"spec.follow.application: Application \"{app}\" applies component \"{component}\" itself; annotate it "
                + $"app.oam.dev/rollout-template: \"true\" (or name the component in app.oam.dev/rolling-components) so that this rollout moves it");
        }

        var (apiVersion, kindName) = (JsonPath.String(targetManifest, "apiVersion"), JsonPath.String(targetManifest, "kind"));
        if (kinds.Find(apiVersion, kindName) is not { } kind)
        {
            if (kinds.Refusal(apiVersion, kindName) is { } refusal)
            {
                return Unusable($"component \"{component}\" renders a {kindName} ({apiVersion}): {refusal}");
            }

            if (await DeclarationPendingAsync(apiVersion, kindName, cancellationToken) is { } pending)
            {
                // Applied together with the rollout: its declaration is being checked.
                return Missing("WorkloadKindPending", $"component \"{component}\" renders a {kindName} ({apiVersion}), declared by WorkloadKind {pending}, which is not accepted yet");
            }

            return Unusable($"component \"{component}\" renders a {kindName} ({apiVersion}); "
                + $"rollouts drive {kinds.Supported} and kinds declared by a WorkloadKind (docs/workloads.md)");
        }

        if (kind.DeclaredBy is not null && kind.Adapter is DeclaredWorkloadAdapter declared
            && declared.Declaration.MissingOn(targetManifest, $"the {kindName} of component \"{component}\" in revision {spec.TargetAppRevisionName}") is { } unfit)
        {
            return Unusable(unfit);
        }

        if (sourceComponents is not null && !sourceComponents.ContainsKey(component))
        {
            return Unusable($"spec.componentList: the source revision {spec.SourceAppRevisionName} has no component \"{component}\"");
        }

        // Blue/green runs the revisions side by side: a kind rolled in place otherwise (a CloneSet) gets an object per revision.
        var adapter = spec.RolloutPlan?.BlueGreen is not null && sourceComponents is not null ? kinds.SideBySide(kind.Resource, kind.Adapter) : kind.Adapter;
        var twoObjects = adapter.Style == WorkloadStyle.TwoObject;
        var target = Reference(kind, ns, component, spec.TargetAppRevisionName, targetManifest, twoObjects);
        var source = sourceComponents is null ? null : Reference(kind, ns, component, spec.SourceAppRevisionName!, sourceComponents[component], twoObjects);
        if (twoObjects && adapter != kind.Adapter && source is not null && await api.GetAsync(kind.Resource, ns, source.Name, cancellationToken) is null
            && await api.GetAsync(kind.Resource, ns, component, cancellationToken) is not null)
        {
            // The first blue/green of a component rolled in place so far: its one object, named after the component, is the source.
            source = source with { Name = component };
        }

        var replicasPath = kind.ReplicasPath ?? "spec.replicas";

        var live = await api.GetAsync(kind.Resource, ns, (source ?? target).Name, cancellationToken);
        if (hasSource && !twoObjects && live is null)
        {
            return Unusable($"{kind.Resource.Kind} {target.Name} does not exist, so there is nothing to upgrade in place; "
                + $"roll out {spec.SourceAppRevisionName} first (an AppRollout without sourceAppRevisionName)");
        }

        // A workload this rollout already holds carries the size it started from (a controller may have resized it
        // and died before writing the status); otherwise what runs now, or the source's manifest, or nothing.
        var holder = WorkloadMarks.Holder(ns, rollout.Metadata.Name ?? "", rollout.Metadata.Uid ?? "");
        IReadOnlyList<string> siblings = [];
        int originalSize;
        string sourceWorkload;
        if (twoObjects && hasSource)
        {
            // Every object of the component counts: a rollout changed mid-way leaves pods on the target's object too,
            // and on revisions it no longer names (the siblings), which go down with the source.
            var liveTarget = await api.GetAsync(kind.Resource, ns, target.Name, cancellationToken);
            var others = new List<(string Name, JsonObject Object)>();
            var siblingNames = await SiblingNamesAsync(targetRevision, component, target.Name, source!.Name, cancellationToken);
            if (adapter != kind.Adapter && source.Name != component)
            {
                // Blue/green of a kind rolled in place: the object named after the component ran the revision before the
                // first blue/green, and a rollout redirected after that one's switch no longer names it as the source.
                siblingNames = [component, .. siblingNames];
            }

            foreach (var name in siblingNames)
            {
                if (await api.GetAsync(kind.Resource, ns, name, cancellationToken) is { } sibling)
                {
                    others.Add((name, sibling));
                }
            }

            siblings = others.Select(o => o.Name).ToList();
            JsonObject?[] objects = [live, liveTarget, .. others.Select(o => o.Object)];
            var present = objects.OfType<JsonObject>().ToList();
            originalSize = WorkloadMarks.RecordedOriginalSize(liveTarget, holder) ?? WorkloadMarks.RecordedOriginalSize(live, holder)
                ?? (present.Count > 0 ? present.Sum(o => JsonPath.Int(o, replicasPath, 1)) : JsonPath.IntOrNull(source.Manifest, replicasPath) ?? 1);
            sourceWorkload = present.Count > 0
                ? $"the source workload's current size ({string.Join(" + ", present.Select(o => $"{kind.Resource.Kind} {JsonPath.String(o, "metadata.name")}: {JsonPath.Int(o, replicasPath, 1)}"))})"
                : $"the source revision's replicas ({spec.SourceAppRevisionName}, whose {kind.Resource.Kind} does not exist)";
        }
        else
        {
            originalSize = WorkloadMarks.RecordedOriginalSize(live, holder)
                ?? (live is not null ? JsonPath.Int(live, replicasPath, 1) : hasSource ? JsonPath.IntOrNull(source!.Manifest, replicasPath) ?? 1 : 0);
            sourceWorkload = $"the source workload's current size ({kind.Resource.Kind} {(source ?? target).Name}: {originalSize})";
        }

        // KubeVela's rule: without targetSize an upgrade keeps the size the source workload runs at now; a revision
        // brought up from nothing gets its own replicas.
        int targetSize;
        string sizeOrigin;
        if (spec.RolloutPlan?.TargetSize is { } requestedSize)
        {
            (targetSize, sizeOrigin) = (requestedSize, $"target size {requestedSize} from spec.rolloutPlan.targetSize");
        }
        else if (hasSource)
        {
            (targetSize, sizeOrigin) = (originalSize, $"target size {originalSize} from {sourceWorkload}");
        }
        else
        {
            var replicas = JsonPath.IntOrNull(targetManifest, replicasPath);
            (targetSize, sizeOrigin) = (replicas ?? 1, replicas is { } r
                ? $"target size {r} from the target revision's replicas ({spec.TargetAppRevisionName})"
                : $"target size 1: the target revision {spec.TargetAppRevisionName} sets no replicas and spec.rolloutPlan.targetSize is not given");
        }
        if ((adapter == kind.Adapter ? kind.Sizer : adapter as IWorkloadSizer) is { } sizer)
        {
            // Its size is not spec.replicas (a DaemonSet: the number of nodes it runs on).
            var size = await sizer.SizeAsync(live, targetManifest, ns, cancellationToken);
            if (size.Pods is not { } pods)
            {
                return Missing("WorkloadNotObserved", size.NotYet!);
            }

            if (spec.RolloutPlan?.TargetSize is { } asked && asked != pods)
            {
                return Unusable($"spec.rolloutPlan.targetSize: Invalid value: {asked}: {kind.Resource.Kind} {target.Name} runs one pod on each of its {pods} nodes; its size cannot be set");
            }

            if (live is null && BatchCount(spec.RolloutPlan) > 1)
            {
                return Unusable($"spec.rolloutPlan.rolloutBatches: Invalid value: {BatchCount(spec.RolloutPlan)} batches: creating {kind.Resource.Kind} {target.Name} starts its pod on all {pods} nodes at once, "
                    + "so it cannot be brought up in batches; use one batch (replicas: 100%), then roll later revisions in batches of nodes");
            }

            targetSize = pods;
            originalSize = live is null ? 0 : pods;
            sizeOrigin = $"target size {pods}: {kind.Resource.Kind} {target.Name} runs one pod on each of {pods} nodes";
        }

        if (!hasSource && live is not null && WorkloadMarks.TemplateRevision(live) is { } liveRevision && liveRevision != spec.TargetAppRevisionName)
        {
            return Unusable($"{kind.Resource.Kind} {target.Name} runs {liveRevision}; to move it to {spec.TargetAppRevisionName} set spec.sourceAppRevisionName: {liveRevision}");
        }

        var mode = hasSource ? RolloutMode.Upgrade : RolloutMode.Scale;
        var rolloutTarget = new RolloutTarget(ns, rollout.Metadata.Name ?? "", rollout.Metadata.Uid ?? "", target, source, mode, originalSize, targetSize)
        {
            Application = ApplicationOwner(targetRevision),
            Siblings = siblings,
        };
        var workloadProblem = await adapter.VerifyAsync(rolloutTarget, cancellationToken);
        return new ResolvedRollout(new RevisionObservation
        {
            HasSource = hasSource,
            OriginalSize = originalSize,
            TargetSize = targetSize,
            SizeOrigin = sizeOrigin,
            SourceTemplateHash = source?.TemplateHash,
            WorkloadKind = kind.Resource.Kind,
            TargetGeneration = target.TemplateHash,
            WorkloadProblem = workloadProblem,
        }, rolloutTarget, adapter) { Component = component };
    }

    /// <summary>
    /// Names of the component's per-revision objects (<c>&lt;component&gt;-v&lt;N&gt;</c>) for the application's other
    /// revisions, from its revision list (an index of the informer's cache).
    /// </summary>
    private async Task<IReadOnlyList<string>> SiblingNamesAsync(JsonObject targetRevision, string component, string targetName, string sourceName, CancellationToken cancellationToken)
    {
        if (JsonPath.Get(targetRevision, "metadata.labels") is not JsonObject labels || labels[AppNameLabel]?.GetValue<string>() is not { } app)
        {
            return [];
        }

        var list = await api.ListAsync(ResourceKind.ApplicationRevision, JsonPath.String(targetRevision, "metadata.namespace"), $"{AppNameLabel}={app}", cancellationToken);
        return (list["items"] as JsonArray ?? [])
            .Select(r => RevisionNumber(JsonPath.String(r, "metadata.name") ?? string.Empty))
            .OfType<int>()
            .Order()
            .Select(n => $"{component}-v{n.ToString(CultureInfo.InvariantCulture)}")
            .Where(name => name != targetName && name != sourceName)
            .ToList();
    }

    /// <summary>The Application that owns the revision (every revision is owned by its Application), or null.</summary>
    private static OwnerReference? ApplicationOwner(JsonObject revision) =>
        (JsonPath.Get(revision, "metadata.ownerReferences") as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(o => JsonPath.String(o, "kind") == Application.KindName && JsonPath.String(o, "uid") is { Length: > 0 })
            .Select(o => new OwnerReference
            {
                ApiVersion = JsonPath.String(o, "apiVersion") ?? $"{AppRollout.Group}/{AppRollout.Version}",
                Kind = Application.KindName,
                Name = JsonPath.String(o, "name") ?? string.Empty,
                Uid = JsonPath.String(o, "uid")!,
            })
            .FirstOrDefault();

    /// <summary>The revision number in <c>&lt;app&gt;-v&lt;N&gt;</c>, or null.</summary>
    public static int? RevisionNumber(string revisionName) =>
        RevisionSuffix().Match(revisionName) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static WorkloadReference Reference(WorkloadKindEntry kind, string ns, string component, string revisionName, JsonObject manifest, bool perRevision)
    {
        var name = perRevision ? $"{component}-v{RevisionNumber(revisionName)?.ToString(CultureInfo.InvariantCulture) ?? revisionName}" : component;
        return new WorkloadReference(kind.Resource.ApiVersion, kind.Resource.Kind, ns, name, revisionName, WorkloadMarks.Hash(JsonPath.Get(manifest, kind.TemplatePath)), manifest);
    }

    /// <summary>
    /// The WorkloadKind declaring <paramref name="apiVersion"/>/<paramref name="kind"/> that exists but has no verdict yet
    /// (applied together with the rollout), or null.
    /// </summary>
    private async Task<string?> DeclarationPendingAsync(string? apiVersion, string? kind, CancellationToken cancellationToken)
    {
        JsonObject list;
        try
        {
            list = await api.ListAsync(WorkloadDeclaration.Resource, null, null, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.Status == System.Net.HttpStatusCode.Forbidden)
        {
            // WorkloadKinds not installed (an older CRD set) or not readable: nothing is declared.
            return null;
        }

        return (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(d => $"{JsonPath.String(d, "spec.group")}/{JsonPath.String(d, "spec.version")}" == apiVersion && JsonPath.String(d, "spec.kind") == kind)
            .Where(d => JsonPath.Get(d, "metadata.deletionTimestamp") is null && !Decided(d))
            .Select(d => JsonPath.String(d, "metadata.name"))
            .FirstOrDefault();

        static bool Decided(JsonObject declaration) =>
            (JsonPath.Get(declaration, "status.conditions") as JsonArray ?? []).OfType<JsonObject>()
                .Any(c => JsonPath.String(c, "type") == "Accepted" && JsonPath.String(c, "status") is "True" or "False"
                    && JsonPath.Long(declaration, "status.observedGeneration") >= JsonPath.Long(declaration, "metadata.generation"));
    }

    /// <summary>The revision's Application leaves <paramref name="component"/> to an AppRollout (rollout-template, rolling-components).</summary>
    private static bool LeftToRollouts(JsonObject revision, string component)
    {
        var annotations = JsonPath.Get(revision, "spec.application.metadata.annotations") as JsonObject;
        var rolling = annotations?[Application.RollingComponentsAnnotation] is JsonValue list && list.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? list.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        var template = annotations?[Application.RolloutTemplateAnnotation] is JsonValue t && t.GetValueKind() == System.Text.Json.JsonValueKind.String && t.GetValue<string>() == "true";
        return rolling.Contains(component) || (template && rolling.Length == 0);
    }

    private static string? PickComponent(AppRolloutSpec spec, Dictionary<string, JsonObject> target, Dictionary<string, JsonObject>? source, out string? problem)
    {
        problem = null;
        if (spec.ComponentList is { Count: > 1 })
        {
            problem = $"spec.componentList: Invalid value: {spec.ComponentList.Count} components: one rollout moves one component; create one AppRollout per component";
            return null;
        }

        if (spec.ComponentList is [var named])
        {
            if (target.ContainsKey(named))
            {
                return named;
            }

            problem = $"spec.componentList[0]: Invalid value: \"{named}\": revision {spec.TargetAppRevisionName} has no such component (it has: {string.Join(", ", target.Keys)})";
            return null;
        }

        var common = source is null ? target.Keys.ToList() : target.Keys.Where(source.ContainsKey).ToList();
        if (common.Count == 1)
        {
            return common[0];
        }

        problem = $"spec.componentList: Required value: the revisions have {(common.Count == 0 ? "no component in common" : $"components {string.Join(", ", common)}")}; name the one to roll";
        return null;
    }

    private static Dictionary<string, JsonObject> Components(JsonObject revision)
    {
        var result = new Dictionary<string, JsonObject>();
        foreach (var item in JsonPath.Get(revision, "spec.components") as JsonArray ?? [])
        {
            if (JsonPath.String(item, "name") is { } name && JsonPath.Get(item, "workload") is JsonObject workload)
            {
                result[name] = workload;
            }
        }

        return result;
    }

    private static int BatchCount(RolloutPlan? plan) => plan?.RolloutBatches?.Count ?? plan?.NumBatches ?? 1;

    private static ResolvedRollout Missing(string reason, string problem) => new(RevisionObservation.Missing(reason, problem), null, null);

    private static ResolvedRollout Unusable(string problem) => new(new RevisionObservation { WorkloadProblem = problem }, null, null);

    [GeneratedRegex(@"-v(\d+)$")]
    private static partial Regex RevisionSuffix();
}

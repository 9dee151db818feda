using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Rollouts;
using Sluice.Controllers.Runtime;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Cue;
using Sluice.Cue.Rendering;
using RenderedComponent = Sluice.Core.Api.RenderedComponent;

namespace Sluice.Controllers.Applications;

/// <summary>
/// One reconcile of one Application: render every component through its ComponentDefinition and its traits through
/// their TraitDefinitions; on a spec change, create the immutable ApplicationRevision <c>&lt;app&gt;-v&lt;N&gt;</c> holding the
/// spec and the rendered resources; apply the workloads of the components no rollout owns and every extra resource
/// (the definitions' and the traits' outputs); report the phase (<c>status.status</c>) and each component's health
/// (<c>status.services</c>). Anything refused (an unsupported field, an unknown trait, a trait that does not apply, a
/// render error) creates nothing and touches nothing; every failure is a condition and an Event naming the field or
/// the object and the reason.
/// </summary>
/// <param name="configReaders">Who reads which ConfigMaps and Secrets, for config tracking; null turns config tracking off.</param>
public sealed class ApplicationReconciler(IKubeApi api, EventRecorder recorder, TimeProvider time, ILogger logger, KubePackageSource? packages = null, ConfigReaders? configReaders = null)
{
    public const string AppNameLabel = "app.oam.dev/name";
    public const string ComponentLabel = "app.oam.dev/component";
    public const string RevisionLabel = "app.oam.dev/appRevision";
    public const string TraitTypeLabel = "trait.oam.dev/type";
    public const string TraitResourceLabel = "trait.oam.dev/resource";
    public const string SpecHashAnnotation = "app.oam.dev/spec-hash";
    public const string DefinitionNamespace = "vela-system";

    private readonly ResourceApplier applier = new(api);

    private readonly ConfigCopies configs = new(api);

    public async Task<TimeSpan?> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var stored = await api.GetAsync(ResourceKind.Application, key.Namespace, key.Name, cancellationToken);
        if (stored is null || JsonPath.Get(stored, "metadata.deletionTimestamp") is not null)
        {
            return null;
        }

        if (UnsupportedFields.Find(stored) is { } unsupported)
        {
            return await FailAsync(stored, unsupported.Reason, unsupported.Message, cancellationToken);
        }

        Application app;
        try
        {
            app = SluiceJson.Deserialize<Application>(stored);
        }
        catch (JsonException e)
        {
            return await FailAsync(stored, "InvalidSpec", $"{(e.Path ?? "$").TrimStart('$', '.')}: {e.Message}", cancellationToken);
        }

        var ns = key.Namespace;
        var revisions = await RevisionsAsync(ns, key.Name, cancellationToken);
        var specHash = WorkloadMarks.Hash(JsonPath.Get(stored, "spec"));
        var latest = revisions.Count == 0 ? null : (int?)revisions.Max(r => r.Number);
        var latestHash = latest is { } n ? JsonPath.Annotation(revisions.First(r => r.Number == n).Object, SpecHashAnnotation) : null;

        // The revision's identity is the spec's hash and, with config tracking, the hashes of the ConfigMaps and Secrets its
        // workloads read, known only once rendered: render as the latest revision first (most reconciles change nothing),
        // and again under the next name when something changed.
        var number = latest ?? 1;
        var pass = await RenderAllAsync(app, number, revisions, cancellationToken);
        var revisionHash = RevisionHash(specHash, pass.Tracked);
        var unchanged = latest is not null && latestHash == revisionHash;
        if (!unchanged && latest is { } previousNumber && pass.Problem is null)
        {
            number = previousNumber + 1;
            pass = await RenderAllAsync(app, number, revisions, cancellationToken);
            revisionHash = RevisionHash(specHash, pass.Tracked);
        }

        if (pass.Problem is { } problem)
        {
            return await FailAsync(stored, problem.Reason, problem.Message, cancellationToken, problem.Reason == "DefinitionNotFound" ? TimeSpan.FromSeconds(30) : null);
        }

        // What it reads now, so that a change of one of them (tracked or not yet) brings this Application back.
        configReaders?.Record(key, pass.References);
        var revisionName = $"{key.Name}-v{number.ToString(CultureInfo.InvariantCulture)}";
        var rendered = pass.Rendered;
        var podDisruptive = pass.PodDisruptive;
        if (Duplicate(rendered) is { } duplicate)
        {
            return await FailAsync(stored, "RenderFailed", duplicate, cancellationToken);
        }

        // The copies the workloads read exist before any revision or workload names them.
        await configs.EnsureAsync(pass.Tracked, stored, ns, cancellationToken);

        var created = false;
        if (!unchanged)
        {
            await CreateRevisionAsync(stored, app, revisionName, revisionHash, rendered, pass.Tracked, cancellationToken);
            created = true;
            var previous = latest is { } last ? revisions.First(r => r.Number == last).Object : null;
            foreach (var component in app.Spec.Components)
            {
                var before = (JsonPath.Get(previous, "spec.application.spec.components") as JsonArray)?.OfType<JsonObject>()
                    .FirstOrDefault(c => JsonPath.String(c, "name") == component.Name);
                if (previous is not null && PodDisruption.Changed(component.Traits, JsonPath.Get(before, "traits") as JsonArray, podDisruptive) is { Count: > 0 } disruptive)
                {
                    recorder.Record(stored, RecordedEvent.Normal("PodDisruptiveTraitChanged",
                        $"{revisionName} changes the pod-disruptive trait(s) {string.Join(", ", disruptive)} of component \"{component.Name}\": rolling it out restarts the component's pods"));
                }
            }
        }

        var rolling = RollingComponents(app);
        var applied = new List<string>();
        try
        {
            foreach (var component in rendered)
            {
                if (!rolling.Contains(component.Name))
                {
                    applied.Add(await applier.ApplyAsync(component.Workload, stored, cancellationToken));
                }

                foreach (var output in component.Outputs ?? [])
                {
                    applied.Add(await applier.ApplyAsync(output, stored, cancellationToken));
                }
            }
        }
        catch (ApplyFailedException e)
        {
            await WriteStatusAsync(stored, revisionName, number, revisionHash, Rendered(revisionName), Condition("Applied", false, e.Reason, e.Message), "unhealthy", null, cancellationToken);
            if (created)
            {
                recorder.Record(stored, RecordedEvent.Normal("RevisionCreated", $"created {revisionName}"));
            }

            RecordOnChange(stored, "Applied", e.Reason, e.Message);
            // Thrown on, so that the work queue backs off before trying again.
            throw;
        }

        applied.AddRange(await CollectAsync(stored, revisions.Select(r => r.Object), rendered, rolling, cancellationToken));
        var message = rolling.Count == 0
            ? $"{revisionName}: applied {string.Join(", ", applied)}"
            : $"{revisionName}: {string.Join(", ", rolling)} left to an AppRollout{(applied.Count > 0 ? $"; applied {string.Join(", ", applied)}" : "")}";
        var (services, phase) = await HealthAsync(rendered, rolling, ns, cancellationToken);
        await WriteStatusAsync(stored, revisionName, number, revisionHash, Rendered(revisionName), Condition("Applied", true, "Applied", message), phase, services, cancellationToken);
        if (created)
        {
            recorder.Record(stored, RecordedEvent.Normal("RevisionCreated", $"created {revisionName}"));
        }

        return null;
    }

    /// <summary>
    /// Refreshes only <c>status.services</c> and the phase, from the latest revision's rendered components and their
    /// workloads as they are now: what a workload's change needs (its pods became ready), without rendering again.
    /// Nothing happens until a full reconcile has rendered and applied the Application.
    /// </summary>
    public async Task<TimeSpan?> RefreshHealthAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var stored = await api.GetAsync(ResourceKind.Application, key.Namespace, key.Name, cancellationToken);
        if (stored is null || JsonPath.Get(stored, "metadata.deletionTimestamp") is not null
            || JsonPath.String(stored, "status.latestRevision.name") is not { } revisionName
            || Conditions(stored).FirstOrDefault(c => JsonPath.String(c, "type") == "Applied") is not { } applied
            || JsonPath.String(applied, "status") != "True")
        {
            return null;
        }

        var revision = await api.GetAsync(ResourceKind.ApplicationRevision, key.Namespace, revisionName, cancellationToken);
        if (revision is null)
        {
            return null;
        }

        Application app;
        List<RenderedComponent> rendered;
        try
        {
            app = SluiceJson.Deserialize<Application>(stored);
            rendered = SluiceJson.Deserialize<ApplicationRevision>(revision).Spec.Components?.ToList() ?? [];
        }
        catch (JsonException)
        {
            return null;
        }

        var (services, phase) = await HealthAsync(rendered, RollingComponents(app), key.Namespace, cancellationToken);
        var status = JsonPath.Get(stored, "status")!.DeepClone().AsObject();
        status["status"] = phase;
        status["services"] = services;
        if (JsonNode.DeepEquals(stored["status"], status))
        {
            return null;
        }

        var update = stored.DeepClone().AsObject();
        update["status"] = status;
        try
        {
            await api.ReplaceStatusAsync(ResourceKind.Application, key.Namespace, update, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // The full reconcile wrote meanwhile; the next workload event (or it) brings the health up to date.
        }

        return null;
    }

    private sealed record ComponentResult(RenderedComponent? Component, SpecProblem? Problem, IReadOnlyDictionary<string, bool>? PodDisruptive = null, IReadOnlyList<ConfigCopies.Tracked>? Tracked = null, IReadOnlyList<(string Kind, string Name)>? References = null);

    private sealed record RenderPass(List<RenderedComponent> Rendered, Dictionary<string, bool> PodDisruptive, List<ConfigCopies.Tracked> Tracked, List<(string Kind, string Name)> References, SpecProblem? Problem);

    /// <summary>Every component rendered as revision <paramref name="number"/>, or the first problem.</summary>
    private async Task<RenderPass> RenderAllAsync(Application app, int number, List<(int Number, JsonObject Object)> revisions, CancellationToken cancellationToken)
    {
        var revisionName = $"{app.Metadata.Name}-v{number.ToString(CultureInfo.InvariantCulture)}";
        var pass = new RenderPass([], new Dictionary<string, bool>(StringComparer.Ordinal), [], [], null);
        for (var i = 0; i < app.Spec.Components.Count; i++)
        {
            var result = await RenderComponentAsync(app, i, app.Spec.Components[i], revisionName, number, revisions, cancellationToken);
            if (result.Problem is { } problem)
            {
                return pass with { Problem = problem };
            }

            pass.Rendered.Add(result.Component!);
            pass.Tracked.AddRange(result.Tracked ?? []);
            pass.References.AddRange(result.References ?? []);
            foreach (var (type, disruptive) in result.PodDisruptive!)
            {
                pass.PodDisruptive[type] = disruptive;
            }
        }

        return pass;
    }

    /// <summary>The spec's hash alone when no ConfigMap or Secret is tracked (as before config tracking), else with their hashes.</summary>
    private static string RevisionHash(string specHash, IReadOnlyList<ConfigCopies.Tracked> tracked) =>
        tracked.Count == 0 ? specHash : WorkloadMarks.Hash(new JsonObject { ["spec"] = specHash, ["configs"] = ConfigCopies.Hashes(tracked) });

    private async Task<ComponentResult> RenderComponentAsync(
        Application app, int index, ApplicationComponent component, string revisionName, int number,
        List<(int Number, JsonObject Object)> revisions, CancellationToken cancellationToken)
    {
        var ns = app.Metadata.Namespace ?? "default";
        var definition = await DefinitionAsync(ResourceKind.ComponentDefinition, ns, component.Type, cancellationToken);
        if (definition is null)
        {
            return Problem("DefinitionNotFound",
                $"component \"{component.Name}\": spec.components[{index}].type: ComponentDefinition \"{component.Type}\" not found in namespace \"{ns}\" or \"{DefinitionNamespace}\"");
        }

        var template = JsonPath.String(definition, "spec.schematic.cue.template");
        if (template is null)
        {
            return Problem("DefinitionInvalid", $"ComponentDefinition \"{component.Type}\" has no spec.schematic.cue.template");
        }

        var declaredWorkload = TraitRules.DeclaredWorkload(definition);
        var traits = new List<(string Type, JsonObject Definition, DefinitionTemplate Template)>();
        var traitNodes = component.Traits ?? [];
        for (var j = 0; j < traitNodes.Count; j++)
        {
            var field = $"spec.components[{index}].traits[{j}]";
            var type = JsonPath.String(traitNodes[j], "type")!;
            var trait = await DefinitionAsync(ResourceKind.TraitDefinition, ns, type, cancellationToken);
            if (trait is null)
            {
                return Problem("TraitDefinitionNotFound",
                    $"component \"{component.Name}\": {field}.type: Unsupported value: \"{type}\": no TraitDefinition \"{type}\" in namespace \"{ns}\" or \"{DefinitionNamespace}\"; nothing was applied");
            }

            if (JsonPath.Get(trait, "spec.manageWorkload") is JsonValue manage && manage.GetValueKind() == JsonValueKind.True)
            {
                return Problem("UnsupportedTrait",
                    $"component \"{component.Name}\": {field}.type: trait \"{type}\" manages the workload itself (TraitDefinition spec.manageWorkload); Sluice rolls workloads out with AppRollouts; nothing was applied");
            }

            if (JsonPath.String(trait, "spec.schematic.cue.template") is not { } traitTemplate)
            {
                return Problem("DefinitionInvalid", $"component \"{component.Name}\": {field}.type: TraitDefinition \"{type}\" has no spec.schematic.cue.template");
            }

            if (declaredWorkload is not null && TraitRules.NotApplicable(trait, type, component.Type, declaredWorkload) is { } notApplicable)
            {
                return Problem("TraitNotApplicable", $"component \"{component.Name}\": {field}.type: {notApplicable}; nothing was applied");
            }

            traits.Add((type, trait, new DefinitionTemplate(type, traitTemplate, JsonPath.Get(traitNodes[j], "properties") as JsonObject)));
        }

        if (TraitRules.Conflict([.. traits.Select(t => (t.Type, t.Definition))]) is { } conflict)
        {
            return Problem("TraitConflict", $"component \"{component.Name}\": spec.components[{index}].traits: {conflict}; nothing was applied");
        }

        var context = new RenderContext(component.Name, app.Metadata.Name ?? "", ns, revisionName, number);
        var imports = CueParser.Imports(template).Concat(traits.SelectMany(t => CueParser.Imports(t.Template.Template)));
        var cuePackages = packages is null ? CuePackages.None : await packages.ForAsync(imports, cancellationToken);
        var result = ComponentRenderer.Render(new DefinitionTemplate(component.Type, template, component.Properties), [.. traits.Select(t => t.Template)], context, cuePackages);
        if (!result.IsSuccess)
        {
            return Problem("RenderFailed", $"component \"{component.Name}\": {result.Error!.Message}");
        }

        var output = result.Value.Output;
        if (declaredWorkload is null && output["kind"] is not null)
        {
            var workload = TraitRules.Resource(JsonPath.String(output, "apiVersion") ?? "v1", JsonPath.String(output, "kind")!);
            for (var j = 0; j < traits.Count; j++)
            {
                if (TraitRules.NotApplicable(traits[j].Definition, traits[j].Type, component.Type, workload) is { } notApplicable)
                {
                    return Problem("TraitNotApplicable", $"component \"{component.Name}\": spec.components[{index}].traits[{j}].type: {notApplicable}; nothing was applied");
                }
            }
        }

        // Config tracking: the workload reads copies of its ConfigMaps and Secrets named by their data's hash (when on:
        // without a ConfigReaders the controller neither watches nor copies them, and the workload reads them by name).
        IReadOnlyList<(string Kind, string Name)> references = configReaders is null ? [] : ConfigReferences.Find(output);
        var tracked = configReaders is null ? [] : await configs.TrackAsync(output, ns, app.Metadata.Name ?? "", cancellationToken);
        var hash = ComponentRevisions.Hash(output);
        var earlier = revisions.SelectMany(r => JsonPath.Get(r.Object, "spec.components") as JsonArray ?? [])
            .OfType<JsonObject>().Where(c => JsonPath.String(c, "name") == component.Name);
        var componentRevision = ComponentRevisions.Name(component.Name, hash, earlier);
        var appName = app.Metadata.Name ?? "";
        var outputs = result.Value.Outputs
            .Select(o => Place(ComponentRevisions.Replace(o.Value, componentRevision), $"{component.Name}-{o.Key}", appName, ns, revisionName, component.Name, null, null))
            .Concat(result.Value.TraitOutputs.Select(o => Place(ComponentRevisions.Replace(o.Object, componentRevision), $"{component.Name}-{o.Name}", appName, ns, revisionName, component.Name, o.TraitType, o.Name)))
            .ToArray();
        return new ComponentResult(new RenderedComponent
        {
            Name = component.Name,
            Workload = Place(ComponentRevisions.Replace(output, componentRevision), component.Name, appName, ns, revisionName, component.Name, null, null),
            Outputs = outputs,
            Revision = componentRevision,
            RevisionHash = hash,
            Traits = traits.Count == 0 ? null : [.. traits.Select(t => t.Type)],
        }, null, traits.GroupBy(t => t.Type).ToDictionary(g => g.Key, g => PodDisruption.Of(g.First().Definition), StringComparer.Ordinal), tracked, references);
    }

    private static ComponentResult Problem(string reason, string message) => new(null, new SpecProblem(reason, message));

    /// <summary>Two resources of the Application naming the same object would overwrite each other: refused.</summary>
    private static string? Duplicate(List<RenderedComponent> rendered)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var component in rendered)
        {
            foreach (var resource in (component.Outputs ?? []).Prepend(component.Workload))
            {
                var id = $"{JsonPath.String(resource, "apiVersion")} {JsonPath.String(resource, "kind")} {JsonPath.String(resource, "metadata.name")}";
                var origin = JsonPath.Get(resource, "metadata.labels") is JsonObject labels && labels[TraitTypeLabel] is { } trait
                    ? $"trait \"{trait}\" of component \"{component.Name}\""
                    : $"component \"{component.Name}\"";
                if (!seen.TryAdd(id, origin))
                {
                    return $"{origin} and {seen[id]} both render {JsonPath.String(resource, "kind")} \"{JsonPath.String(resource, "metadata.name")}\"; one would overwrite the other (the webservice type already has a Service: use expose with another type, or drop one); nothing was applied";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Deletes what earlier revisions rendered and this one does not (<see cref="StaleResources"/>), when this
    /// Application owns it; returns "deleted Kind/name" for each, for the Applied condition's message.
    /// </summary>
    private async Task<List<string>> CollectAsync(JsonObject stored, IEnumerable<JsonObject> revisions, List<RenderedComponent> rendered, HashSet<string> rolling, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        var uid = JsonPath.String(stored, "metadata.uid");
        foreach (var resource in StaleResources.Find(revisions, rendered, rolling))
        {
            var kind = ResourceKinds.Of(resource);
            var ns = JsonPath.String(resource, "metadata.namespace");
            var name = JsonPath.String(resource, "metadata.name")!;
            var live = await api.GetAsync(kind, ns, name, cancellationToken);
            if (live is null || !(JsonPath.Get(live, "metadata.ownerReferences") as JsonArray ?? []).Any(o => JsonPath.String(o, "uid") == uid))
            {
                continue;
            }

            if (await api.DeleteAsync(kind, ns, name, "Background", cancellationToken))
            {
                recorder.Record(stored, RecordedEvent.Normal("ResourceDeleted", $"deleted {kind.Kind}/{name}: the Application no longer renders it"));
                deleted.Add($"deleted {kind.Kind}/{name}");
            }
        }

        return deleted;
    }

    private static HashSet<string> RollingComponents(Application app)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (app.Metadata.Annotation(Application.RollingComponentsAnnotation) is { } list)
        {
            names.UnionWith(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (app.Metadata.Annotation(Application.RolloutTemplateAnnotation) == "true" && names.Count == 0)
        {
            names.UnionWith(app.Spec.Components.Select(c => c.Name));
        }

        return names;
    }

    private static JsonObject Place(JsonObject manifest, string name, string app, string ns, string revision, string component, string? traitType, string? traitResource)
    {
        var placed = manifest.DeepClone().AsObject();
        if (JsonPath.String(placed, "metadata.name") is null)
        {
            JsonPath.Set(placed, "metadata.name", name);
        }

        JsonPath.Set(placed, "metadata.namespace", ns);
        WorkloadMarks.SetMapEntry(placed, "metadata.labels", AppNameLabel, app);
        WorkloadMarks.SetMapEntry(placed, "metadata.labels", RevisionLabel, revision);
        if (traitType is not null)
        {
            WorkloadMarks.SetMapEntry(placed, "metadata.labels", ComponentLabel, component);
            WorkloadMarks.SetMapEntry(placed, "metadata.labels", TraitTypeLabel, traitType);
            WorkloadMarks.SetMapEntry(placed, "metadata.labels", TraitResourceLabel, traitResource);
        }

        return placed;
    }

    /// <summary>Each component's health from its workload (the one its rollout drives, for a rolling component), and the phase.</summary>
    private async Task<(JsonArray Services, string Phase)> HealthAsync(List<RenderedComponent> rendered, HashSet<string> rolling, string ns, CancellationToken cancellationToken)
    {
        var services = new JsonArray();
        var allHealthy = true;
        var rollingOut = false;
        foreach (var component in rendered)
        {
            var kind = ResourceKinds.Of(component.Workload);
            var name = JsonPath.String(component.Workload, "metadata.name")!;
            if (rolling.Contains(component.Name) && kind == ResourceKind.Deployment)
            {
                // An AppRollout makes one Deployment per revision (<component>-v<N>): this revision's.
                name = RolledDeploymentName(component);
            }

            var workload = await GetOrNullAsync(kind, ns, name, cancellationToken);
            var (healthy, message) = ComponentHealth.Of(workload, $"{kind.Kind} {name}");
            if (rolling.Contains(component.Name) && JsonPath.Annotation(workload, WorkloadMarks.ControlledBy) is { Length: > 0 } holder)
            {
                rollingOut = true;
                message = $"{message}; rolling out (AppRollout {string.Join('/', holder.Split('/').Take(2))})";
            }

            allHealthy &= healthy;
            var service = new JsonObject
            {
                ["name"] = component.Name,
                ["workloadDefinition"] = new JsonObject { ["apiVersion"] = JsonPath.String(component.Workload, "apiVersion"), ["kind"] = kind.Kind },
                ["healthy"] = healthy,
                ["message"] = message,
            };
            if (component.Traits is { Count: > 0 } traits)
            {
                service["traits"] = new JsonArray([.. traits.Select(t => (JsonNode)new JsonObject { ["type"] = t, ["healthy"] = true })]);
            }

            services.Add(service);
        }

        return (services, rollingOut ? "rollingOut" : allHealthy ? "running" : "unhealthy");
    }

    /// <summary>The Deployment an AppRollout makes for this revision of a Deployment-based component: <c>&lt;component&gt;-v&lt;N&gt;</c>.</summary>
    private static string RolledDeploymentName(RenderedComponent component)
    {
        var revision = JsonPath.Get(component.Workload, "metadata.labels") is JsonObject labels ? labels[RevisionLabel]?.GetValue<string>() : null;
        return RevisionResolver.RevisionNumber(revision ?? "") is { } n ? $"{component.Name}-v{n.ToString(CultureInfo.InvariantCulture)}" : component.Name;
    }

    private async Task<JsonObject?> GetOrNullAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetAsync(kind, ns, name, cancellationToken);
        }
        catch (KubeApiException)
        {
            return null;
        }
    }

    private async Task CreateRevisionAsync(JsonObject stored, Application app, string name, string specHash, List<RenderedComponent> rendered, IReadOnlyList<ConfigCopies.Tracked> tracked, CancellationToken cancellationToken)
    {
        var snapshot = app with
        {
            Metadata = new ObjectMeta { Name = app.Metadata.Name, Namespace = app.Metadata.Namespace, Labels = app.Metadata.Labels, Annotations = app.Metadata.Annotations },
            Status = null,
        };
        var revision = new JsonObject
        {
            ["apiVersion"] = $"{AppRollout.Group}/{AppRollout.Version}",
            ["kind"] = ApplicationRevision.KindName,
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = app.Metadata.Namespace,
                ["labels"] = new JsonObject { [AppNameLabel] = app.Metadata.Name },
                ["annotations"] = tracked.Count == 0
                    ? new JsonObject { [SpecHashAnnotation] = specHash }
                    : new JsonObject { [SpecHashAnnotation] = specHash, [ConfigCopies.HashesAnnotation] = ConfigCopies.Hashes(tracked) },
                ["ownerReferences"] = new JsonArray(ResourceApplier.Owner(stored)),
            },
            ["spec"] = new JsonObject
            {
                ["application"] = SluiceJson.ToNode(snapshot),
                ["components"] = SluiceJson.ToNode(rendered),
            },
        };
        try
        {
            await api.CreateAsync(ResourceKind.ApplicationRevision, app.Metadata.Namespace, revision, cancellationToken);
            logger.LogInformation("created ApplicationRevision {Namespace}/{Name}", app.Metadata.Namespace, name);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // made by an earlier reconcile that did not get to write the status: revisions are immutable, keep it
        }
    }

    private async Task<JsonObject?> DefinitionAsync(ResourceKind kind, string ns, string type, CancellationToken cancellationToken) =>
        await api.GetAsync(kind, ns, type, cancellationToken)
        ?? await api.GetAsync(kind, DefinitionNamespace, type, cancellationToken);

    private async Task<List<(int Number, JsonObject Object)>> RevisionsAsync(string ns, string app, CancellationToken cancellationToken)
    {
        var list = await api.ListAsync(ResourceKind.ApplicationRevision, ns, $"{AppNameLabel}={app}", cancellationToken);
        return (list["items"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(r => (Number: RevisionResolver.RevisionNumber(JsonPath.String(r, "metadata.name") ?? "") ?? 0, Object: r))
            .Where(r => r.Number > 0)
            .ToList();
    }

    private async Task<TimeSpan?> FailAsync(JsonObject stored, string reason, string message, CancellationToken cancellationToken, TimeSpan? retry = null)
    {
        var latest = JsonPath.Get(stored, "status.latestRevision");
        await WriteStatusAsync(stored, JsonPath.String(latest, "name"), JsonPath.IntOrNull(latest, "revision"), JsonPath.String(latest, "revisionHash"),
            Condition("Rendered", false, reason, message), null, "rendering", null, cancellationToken);
        RecordOnChange(stored, "Rendered", reason, message);
        return retry;
    }

    /// <summary>A Warning Event, once per distinct failure (not on every retry).</summary>
    private void RecordOnChange(JsonObject stored, string type, string reason, string message)
    {
        var previous = Conditions(stored).FirstOrDefault(c => JsonPath.String(c, "type") == type);
        if (JsonPath.String(previous, "reason") != reason || JsonPath.String(previous, "message") != message)
        {
            recorder.Record(stored, RecordedEvent.Warn(reason, message));
        }
    }

    private static (string Type, bool Ok, string Reason, string Message) Rendered(string revision) =>
        Condition("Rendered", true, "Rendered", $"{revision}: every component and trait rendered");

    private static (string Type, bool Ok, string Reason, string Message) Condition(string type, bool ok, string reason, string message) => (type, ok, reason, message);

    private static IEnumerable<JsonObject> Conditions(JsonObject stored) =>
        (JsonPath.Get(stored, "status.conditions") as JsonArray)?.OfType<JsonObject>() ?? [];

    private async Task WriteStatusAsync(
        JsonObject stored, string? revision, int? number, string? hash,
        (string Type, bool Ok, string Reason, string Message) rendered, (string Type, bool Ok, string Reason, string Message)? applied,
        string phase, JsonArray? services, CancellationToken cancellationToken)
    {
        var status = JsonPath.Get(stored, "status")?.DeepClone() as JsonObject ?? new JsonObject();
        if (revision is not null)
        {
            status["latestRevision"] = new JsonObject { ["name"] = revision, ["revision"] = number, ["revisionHash"] = hash };
        }

        var conditions = new JsonArray { ConditionNode(stored, rendered) };
        if (applied is { } a)
        {
            conditions.Add(ConditionNode(stored, a));
        }

        status["status"] = phase;
        if (services is not null)
        {
            status["services"] = services;
        }
        else if (phase == "rendering")
        {
            status.Remove("services");
        }

        status["conditions"] = conditions;
        status["observedGeneration"] = JsonPath.Long(stored, "metadata.generation");
        if (JsonNode.DeepEquals(stored["status"], status))
        {
            return;
        }

        var update = stored.DeepClone().AsObject();
        update["status"] = status;
        await api.ReplaceStatusAsync(ResourceKind.Application, JsonPath.String(stored, "metadata.namespace"), update, cancellationToken);
    }

    private JsonObject ConditionNode(JsonObject stored, (string Type, bool Ok, string Reason, string Message) condition)
    {
        var previous = Conditions(stored).FirstOrDefault(c => JsonPath.String(c, "type") == condition.Type);
        var statusText = condition.Ok ? "True" : "False";
        var flipped = previous is null || JsonPath.String(previous, "status") != statusText;
        return new JsonObject
        {
            ["type"] = condition.Type,
            ["status"] = statusText,
            ["reason"] = condition.Reason,
            ["message"] = condition.Message,
            ["lastTransitionTime"] = flipped ? time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : JsonPath.String(previous, "lastTransitionTime"),
        };
    }
}

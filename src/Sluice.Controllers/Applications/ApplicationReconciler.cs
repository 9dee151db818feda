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
using Sluice.Cue.Rendering;
using RenderedComponent = Sluice.Core.Api.RenderedComponent;
using Sluice.Manifests;

namespace Sluice.Controllers.Applications;

/// <summary>
/// One reconcile of one Application: render every component through its ComponentDefinition; on a spec
/// change, create the immutable ApplicationRevision <c>&lt;app&gt;-v&lt;N&gt;</c> holding the spec and the rendered
/// workloads; apply the workloads of the components no rollout owns (and every component's extra outputs);
/// say in conditions and Events what happened and why. A render error creates nothing and touches nothing.
/// </summary>
public sealed class ApplicationReconciler(IKubeApi api, EventRecorder recorder, TimeProvider time, ILogger logger)
{
    public const string AppNameLabel = "app.oam.dev/name";
    public const string ComponentLabel = "app.oam.dev/component";
    public const string RevisionLabel = "app.oam.dev/appRevision";
    public const string SpecHashAnnotation = "app.oam.dev/spec-hash";
    public const string DefinitionNamespace = "vela-system";

    public async Task<TimeSpan?> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var stored = await api.GetAsync(ResourceKind.Application, key.Namespace, key.Name, cancellationToken);
        if (stored is null || JsonPath.Get(stored, "metadata.deletionTimestamp") is not null)
        {
            return null;
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
        var unchanged = latest is { } n && JsonPath.Annotation(revisions.First(r => r.Number == n).Object, SpecHashAnnotation) == specHash;
        var number = unchanged ? latest!.Value : (latest ?? 0) + 1;
        var revisionName = $"{key.Name}-v{number.ToString(CultureInfo.InvariantCulture)}";

        var rendered = new List<RenderedComponent>();
        foreach (var component in app.Spec.Components)
        {
            var definition = await DefinitionAsync(ns, component.Type, cancellationToken);
            if (definition is null)
            {
                return await FailAsync(stored, "DefinitionNotFound",
                    $"component \"{component.Name}\": ComponentDefinition \"{component.Type}\" not found in namespace \"{ns}\" or \"{DefinitionNamespace}\"", cancellationToken, retry: TimeSpan.FromSeconds(30));
            }

            var template = JsonPath.String(definition, "spec.schematic.cue.template");
            if (template is null)
            {
                return await FailAsync(stored, "DefinitionInvalid", $"ComponentDefinition \"{component.Type}\" has no spec.schematic.cue.template", cancellationToken);
            }

            var context = new RenderContext(component.Name, key.Name, ns, revisionName, number);
            var result = ComponentRenderer.Render(component.Type, template, component.Properties, context);
            if (!result.IsSuccess)
            {
                return await FailAsync(stored, "RenderFailed", $"component \"{component.Name}\": {result.Error!.Message}", cancellationToken);
            }

            rendered.Add(new RenderedComponent
            {
                Name = component.Name,
                Workload = Place(result.Value.Output, component.Name, key.Name, ns, revisionName),
                Outputs = result.Value.Outputs.Select(o => Place(o.Value, o.Value["metadata"]?["name"]?.GetValue<string>() ?? $"{component.Name}-{o.Key}", key.Name, ns, revisionName)).ToArray(),
            });
        }

        var created = false;
        if (!unchanged)
        {
            await CreateRevisionAsync(stored, app, revisionName, specHash, rendered, cancellationToken);
            created = true;
        }

        var rolling = RollingComponents(app);
        var applied = new List<string>();
        foreach (var component in rendered)
        {
            if (!rolling.Contains(component.Name))
            {
                applied.Add(await ApplyAsync(component.Workload, stored, cancellationToken));
            }

            foreach (var output in component.Outputs ?? [])
            {
                applied.Add(await ApplyAsync(output, stored, cancellationToken));
            }
        }

        var message = rolling.Count == 0
            ? $"{revisionName}: applied {string.Join(", ", applied)}"
            : $"{revisionName}: {string.Join(", ", rolling)} left to an AppRollout{(applied.Count > 0 ? $"; applied {string.Join(", ", applied)}" : "")}";
        await WriteStatusAsync(stored, revisionName, number, specHash, "Rendered", message, true, cancellationToken);
        if (created)
        {
            recorder.Record(stored, RecordedEvent.Normal("RevisionCreated", $"created {revisionName}"));
        }

        return null;
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

    private static JsonObject Place(JsonObject manifest, string name, string app, string ns, string revision)
    {
        var placed = manifest.DeepClone().AsObject();
        if (JsonPath.String(placed, "metadata.name") is null)
        {
            JsonPath.Set(placed, "metadata.name", name);
        }

        JsonPath.Set(placed, "metadata.namespace", ns);
        WorkloadMarks.SetMapEntry(placed, "metadata.labels", AppNameLabel, app);
        WorkloadMarks.SetMapEntry(placed, "metadata.labels", RevisionLabel, revision);
        return placed;
    }

    private async Task CreateRevisionAsync(JsonObject stored, Application app, string name, string specHash, List<RenderedComponent> rendered, CancellationToken cancellationToken)
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
                ["annotations"] = new JsonObject { [SpecHashAnnotation] = specHash },
                ["ownerReferences"] = new JsonArray(Owner(stored)),
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

    /// <summary>Creates the object or patches what differs; returns "Kind/name".</summary>
    private async Task<string> ApplyAsync(JsonObject manifest, JsonObject app, CancellationToken cancellationToken)
    {
        var kind = ResourceKinds.Of(manifest);
        var ns = JsonPath.String(manifest, "metadata.namespace");
        var name = JsonPath.String(manifest, "metadata.name")!;
        var desired = manifest.DeepClone().AsObject();
        JsonPath.Set(desired, "metadata.ownerReferences", new JsonArray(Owner(app)));
        var current = await api.GetAsync(kind, ns, name, cancellationToken);
        if (current is null)
        {
            await api.CreateAsync(kind, ns, desired, cancellationToken);
        }
        else
        {
            var merged = MergePatch.Apply(current, desired)!.AsObject();
            if (MergePatch.Diff(current, merged) is { } patch)
            {
                await api.MergePatchAsync(kind, ns, name, patch, null, cancellationToken);
            }
        }

        return $"{kind.Kind}/{name}";
    }

    private async Task<JsonObject?> DefinitionAsync(string ns, string type, CancellationToken cancellationToken) =>
        await api.GetAsync(ResourceKind.ComponentDefinition, ns, type, cancellationToken)
        ?? await api.GetAsync(ResourceKind.ComponentDefinition, DefinitionNamespace, type, cancellationToken);

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
        var previous = (JsonPath.Get(stored, "status.conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => JsonPath.String(c, "type") == "Rendered");
        var changed = JsonPath.String(previous, "reason") != reason || JsonPath.String(previous, "message") != message;
        var latest = JsonPath.Get(stored, "status.latestRevision");
        await WriteStatusAsync(stored, JsonPath.String(latest, "name"), JsonPath.IntOrNull(latest, "revision"), JsonPath.String(latest, "revisionHash"), reason, message, false, cancellationToken);
        if (changed)
        {
            recorder.Record(stored, RecordedEvent.Warn(reason, message));
        }

        return retry;
    }

    private async Task WriteStatusAsync(JsonObject stored, string? revision, int? number, string? hash, string reason, string message, bool ok, CancellationToken cancellationToken)
    {
        var status = JsonPath.Get(stored, "status")?.DeepClone() as JsonObject ?? new JsonObject();
        if (revision is not null)
        {
            status["latestRevision"] = new JsonObject { ["name"] = revision, ["revision"] = number, ["revisionHash"] = hash };
        }

        var previous = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => JsonPath.String(c, "type") == "Rendered");
        var flipped = previous is null || JsonPath.String(previous, "status") != (ok ? "True" : "False");
        status["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Rendered",
            ["status"] = ok ? "True" : "False",
            ["reason"] = reason,
            ["message"] = message,
            ["lastTransitionTime"] = flipped ? time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : JsonPath.String(previous, "lastTransitionTime"),
        });
        status["observedGeneration"] = JsonPath.Long(stored, "metadata.generation");
        if (JsonNode.DeepEquals(stored["status"], status))
        {
            return;
        }

        var update = stored.DeepClone().AsObject();
        update["status"] = status;
        await api.ReplaceStatusAsync(ResourceKind.Application, JsonPath.String(stored, "metadata.namespace"), update, cancellationToken);
    }

    private static JsonObject Owner(JsonObject app) => new()
    {
        ["apiVersion"] = $"{AppRollout.Group}/{AppRollout.Version}",
        ["kind"] = Application.KindName,
        ["name"] = JsonPath.String(app, "metadata.name"),
        ["uid"] = JsonPath.String(app, "metadata.uid"),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}

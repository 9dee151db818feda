using System.Net;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Manifests;

namespace Sluice.Controllers.Applications;

/// <summary>
/// Applies an Application's resources. What was last applied is kept in the annotation
/// <see cref="LastApplied"/> (as KubeVela and kubectl do): an object whose desired state has not changed is not
/// written again (the API server's defaults would otherwise make every comparison differ), a change is sent as the
/// merge patch from the last applied state to the new one, so fields the Application no longer sets are removed.
/// A failure names the object and the server's reason (<see cref="ApplyFailedException"/>).
/// </summary>
public sealed class ResourceApplier(IKubeApi api)
{
    public const string LastApplied = "app.oam.dev/last-applied-configuration";

    /// <summary>Creates or updates <paramref name="manifest"/>, owned by <paramref name="owner"/>; returns "Kind/name".</summary>
    public async Task<string> ApplyAsync(JsonObject manifest, JsonObject owner, CancellationToken cancellationToken)
    {
        var kind = ResourceKinds.Of(manifest);
        var ns = JsonPath.String(manifest, "metadata.namespace");
        var name = JsonPath.String(manifest, "metadata.name")!;
        var what = $"{kind.Kind}/{name}";
        var desired = manifest.DeepClone().AsObject();
        JsonPath.Set(desired, "metadata.ownerReferences", new JsonArray(Owner(owner)));
        var applied = desired.ToJsonString();
        WorkloadMarks.SetMapEntry(desired, "metadata.annotations", LastApplied, applied);
        try
        {
            var current = await api.GetAsync(kind, ns, name, cancellationToken);
            if (current is null)
            {
                await api.CreateAsync(kind, ns, desired, cancellationToken);
                return what;
            }

            var previous = JsonPath.Annotation(current, LastApplied);
            if (previous == applied)
            {
                return what;
            }

            var patch = previous is not null && JsonNode.Parse(previous) is JsonObject last
                ? MergePatch.Diff(last, desired)
                : MergePatch.Diff(current, MergePatch.Apply(current, desired)!.AsObject());
            if (patch is not null)
            {
                JsonPath.Set(patch, "metadata.resourceVersion", JsonPath.String(current, "metadata.resourceVersion"));
                await api.MergePatchAsync(kind, ns, name, patch, null, cancellationToken);
            }

            return what;
        }
        catch (KubeApiException e) when (!e.IsConflict)
        {
            throw Failure(e, kind, what);
        }
    }

    private static ApplyFailedException Failure(KubeApiException e, ResourceKind kind, string what) => e.Status switch
    {
        HttpStatusCode.NotFound => new ApplyFailedException("ApplyFailed",
            $"{what}: the API server does not serve {kind.Kind} in {kind.ApiVersion} (or the namespace does not exist): {e.Message}", e),
        HttpStatusCode.Forbidden => new ApplyFailedException("ApplyForbidden", $"{what}: the controller may not write {kind}: {e.Message}", e),
        HttpStatusCode.UnprocessableEntity => new ApplyFailedException("ApplyInvalid", $"{what}: the API server refused it: {e.Message}", e),
        _ => new ApplyFailedException("ApplyFailed", $"{what}: {e.Message}", e),
    };

    public static JsonObject Owner(JsonObject app) => new()
    {
        ["apiVersion"] = "core.oam.dev/v1beta1",
        ["kind"] = "Application",
        ["name"] = JsonPath.String(app, "metadata.name"),
        ["uid"] = JsonPath.String(app, "metadata.uid"),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}

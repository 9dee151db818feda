using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Rollouts;
using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// One reconcile of one <c>WorkloadKind</c>: check the declaration (its fields, then its paths against the kind's CRD
/// schema), and either drive the kind from now on (<see cref="WorkloadKinds.Declare"/>: the controllers start watching
/// its objects) or refuse it. Either way the verdict is the condition <c>Accepted</c> in its status, naming the field and
/// the reason; a rollout of a refused kind fails in verifyingSpec with the same words, before anything is touched. A kind
/// whose CRD is not there yet is looked at again shortly (CRDs are often applied together with their declaration).
/// </summary>
public sealed class WorkloadKindReconciler(IKubeApi api, WorkloadKinds kinds, TimeProvider time, ILogger logger)
{
    /// <summary>How soon a declaration waiting for its CRD is looked at again.</summary>
    public static readonly TimeSpan CrdRetry = TimeSpan.FromSeconds(5);

    public async Task<TimeSpan?> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var stored = await api.GetAsync(WorkloadDeclaration.Resource, null, key.Name, cancellationToken);
        if (stored is null || JsonPath.Get(stored, "metadata.deletionTimestamp") is not null)
        {
            kinds.Remove(key.Name);
            return null;
        }

        var (declaration, problem) = WorkloadDeclaration.Parse(stored);
        TimeSpan? retry = null;
        var reason = "InvalidDeclaration";
        if (declaration is not null)
        {
            if (kinds.IsBuiltIn(declaration.Kind.ApiVersion, declaration.Kind.Kind))
            {
                (problem, reason) = ($"spec.kind: Invalid value: \"{declaration.Kind.Kind}\": {declaration.Kind.Kind} ({declaration.Kind.ApiVersion}) is built in; "
                    + "its adapter does more than paths can say, and a declaration cannot replace it", "BuiltInKind");
            }
            else if (kinds.DeclaredBy(declaration.Kind, key.Name) is { } other)
            {
                (problem, reason) = ($"spec.kind: Duplicate value: {declaration.Kind.Kind} ({declaration.Kind.ApiVersion}) is already declared by WorkloadKind {other}", "AlreadyDeclared");
            }
            else
            {
                var crdName = WorkloadKindSchema.CrdName(declaration);
                var crd = await api.GetAsync(WorkloadKindSchema.CustomResourceDefinition, null, crdName, cancellationToken);
                if (crd is null)
                {
                    (problem, reason, retry) = ($"spec.plural: Invalid value: \"{declaration.Kind.Plural}\": no CustomResourceDefinition {crdName} (spec.plural.spec.group): the kind is not served; install its CRD or correct spec.group and spec.plural", "KindNotServed", CrdRetry);
                }
                else
                {
                    problem = WorkloadKindSchema.Check(declaration, crd);
                    reason = "PathNotInSchema";
                }
            }
        }

        if (problem is null)
        {
            kinds.Declare(declaration!);
            logger.LogInformation("WorkloadKind {Name}: driving {Kind} ({ApiVersion}) in place", key.Name, declaration!.Kind.Kind, declaration.Kind.ApiVersion);
            await WriteStatusAsync(stored, true, "Accepted", $"{declaration.Kind.Kind} ({declaration.Kind.ApiVersion}) is rolled in place by its partition {declaration.Partition}"
                + (declaration.CountsFromTop ? " (pods kept on the old revision)" : " (pods moved to the new revision)") + (declaration.Ordinals ? ", by ordinal" : ""), cancellationToken);
            return null;
        }

        kinds.Refuse(key.Name, declaration?.Kind, problem);
        logger.LogWarning("WorkloadKind {Name} refused: {Problem}", key.Name, problem);
        await WriteStatusAsync(stored, false, reason, problem, cancellationToken);
        return retry;
    }

    private async Task WriteStatusAsync(JsonObject stored, bool accepted, string reason, string message, CancellationToken cancellationToken)
    {
        var previous = (JsonPath.Get(stored, "status.conditions") as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => JsonPath.String(c, "type") == "Accepted");
        var statusText = accepted ? "True" : "False";
        var status = new JsonObject
        {
            ["observedGeneration"] = JsonPath.Long(stored, "metadata.generation"),
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Accepted",
                ["status"] = statusText,
                ["reason"] = reason,
                ["message"] = message,
                ["lastTransitionTime"] = JsonPath.String(previous, "status") == statusText
                    ? JsonPath.String(previous, "lastTransitionTime")
                    : time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            }),
        };
        if (JsonNode.DeepEquals(stored["status"], status))
        {
            return;
        }

        var update = stored.DeepClone().AsObject();
        update["status"] = status;
        try
        {
            await api.ReplaceStatusAsync(WorkloadDeclaration.Resource, null, update, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            // Changed or deleted meanwhile: its own event brings it back.
        }
    }
}

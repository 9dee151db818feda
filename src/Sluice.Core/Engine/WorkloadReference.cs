using System.Text.Json.Nodes;

namespace Sluice.Core.Engine;

/// <summary>A workload object as a revision renders it.</summary>
/// <param name="Manifest">The rendered workload (from the ApplicationRevision).</param>
/// <param name="TemplateHash">The hash of its pod template: the revision's identity on pods.</param>
public sealed record WorkloadReference(
    string ApiVersion,
    string Kind,
    string Namespace,
    string Name,
    string RevisionName,
    string TemplateHash,
    JsonObject Manifest);

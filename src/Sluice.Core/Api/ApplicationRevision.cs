using System.Text.Json.Nodes;

namespace Sluice.Core.Api;

/// <summary>An immutable snapshot of an application: <c>&lt;app&gt;-v&lt;N&gt;</c>, its spec and its rendered workloads.</summary>
public sealed record ApplicationRevision
{
    public const string KindName = "ApplicationRevision";
    public const string Plural = "applicationrevisions";

    public string ApiVersion { get; init; } = $"{AppRollout.Group}/{AppRollout.Version}";

    public string Kind { get; init; } = KindName;

    public ObjectMeta Metadata { get; init; } = new();

    public required ApplicationRevisionSpec Spec { get; init; }

    public JsonObject? Status { get; init; }
}

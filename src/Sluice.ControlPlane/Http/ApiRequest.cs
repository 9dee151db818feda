using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Http;

/// <summary>A resource request parsed from its path: <c>/apis/{g}/{v}/namespaces/{ns}/{resource}/{name}/{subresource}</c>.</summary>
internal sealed record ApiRequest(ResourceType Type, string? Namespace, string? Name, string? Subresource);

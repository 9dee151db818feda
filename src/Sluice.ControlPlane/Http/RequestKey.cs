namespace Sluice.ControlPlane.Http;

/// <summary>One kind of request, as <see cref="RequestCounter"/> counts it; <see cref="Subresource"/> is "" for the object itself.</summary>
public sealed record RequestKey(string Verb, string Resource, string Subresource);

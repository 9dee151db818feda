using System.Net;

namespace Sluice.Controllers.Kube;

/// <summary>A failed API call, with the Status the server returned. Never a rollout failure by itself: retry.</summary>
public sealed class KubeApiException(HttpStatusCode status, string reason, string message)
    : Exception($"{(int)status} {reason}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string Reason { get; } = reason;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public bool IsConflict => Status == HttpStatusCode.Conflict;

    /// <summary>410 Gone: the resourceVersion a watch asked for is too old; list again.</summary>
    public bool IsGone => Status == HttpStatusCode.Gone;
}

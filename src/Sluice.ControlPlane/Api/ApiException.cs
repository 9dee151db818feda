namespace Sluice.ControlPlane.Api;

/// <summary>Carries an <see cref="ApiStatus"/> from the store or a handler to the HTTP edge.</summary>
public sealed class ApiException(ApiStatus status) : Exception(status.Message)
{
    public ApiStatus Status { get; } = status;
}

namespace Sluice.Core.Api;

/// <summary>
/// A Secret in the rollout's namespace holding a provider's credentials: <c>token</c> (a bearer token) or
/// <c>username</c> and <c>password</c> (basic auth), and optionally <c>ca.crt</c> (PEM) to trust.
/// </summary>
public sealed record SecretReference
{
    public const string TokenKey = "token";
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";
    public const string CaKey = "ca.crt";

    public string? Name { get; init; }
}

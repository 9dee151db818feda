using System.Net.Http.Headers;
using System.Text;

namespace Sluice.Controllers.Analysis;

/// <summary>A provider's credentials and TLS trust, as read from its Secret (or none).</summary>
public sealed record ProviderAuth
{
    public static readonly ProviderAuth None = new();

    public string? BearerToken { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>PEM of a CA to trust besides the system's.</summary>
    public string? CaPem { get; init; }

    public bool InsecureSkipVerify { get; init; }

    public AuthenticationHeaderValue? Header =>
        BearerToken is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token)
        : Username is not null ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")))
        : null;
}

namespace Sluice.Core.Api;

/// <summary>Sluice: a cookie the request must carry with exactly this value.</summary>
public sealed record CookieMatch
{
    public string? Name { get; init; }

    public string? Value { get; init; }
}

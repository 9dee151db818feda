namespace Sluice.Core.Api;

/// <summary>Sluice: a query parameter the request must carry with exactly this value.</summary>
public sealed record QueryParamMatch
{
    public string? Name { get; init; }

    public string? Exact { get; init; }
}

namespace Sluice.Core.Api;

/// <summary>Sluice: a request header that must be present with a value given exactly one way: exact, prefix or regex.</summary>
public sealed record HeaderMatch
{
    public string? Name { get; init; }

    public string? Exact { get; init; }

    public string? Prefix { get; init; }

    public string? Regex { get; init; }
}

namespace Sluice.Core.Api;

/// <summary>
/// Sluice: requests a batch sends to the target whatever the weight (A/B testing). A request matches an entry when
/// it meets every condition the entry gives; it goes to the target when it matches any entry of the batch.
/// </summary>
public sealed record TrafficMatch
{
    public IReadOnlyList<HeaderMatch>? Headers { get; init; }

    public CookieMatch? Cookie { get; init; }

    public IReadOnlyList<QueryParamMatch>? QueryParams { get; init; }
}

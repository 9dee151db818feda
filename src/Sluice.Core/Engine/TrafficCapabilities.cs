namespace Sluice.Core.Engine;

/// <summary>What a router kind can express, for <see cref="TrafficCapabilityCheck"/> in <c>verifyingSpec</c>.</summary>
public sealed record TrafficCapabilities
{
    public bool Weights { get; init; }

    public bool HeaderExact { get; init; }

    public bool HeaderPrefix { get; init; }

    public bool HeaderRegex { get; init; }

    public bool Cookie { get; init; }

    /// <summary>The only cookie value it can match (NGINX: "always"), or null for any.</summary>
    public string? CookieValue { get; init; }

    public bool QueryParams { get; init; }

    /// <summary>It can require several conditions of one <c>matches</c> entry together (NGINX cannot: header and cookie are alternatives).</summary>
    public bool CombinedConditions { get; init; } = true;

    /// <summary>Most header conditions over a batch's matches (NGINX: 1), or null for no limit.</summary>
    public int? MaxHeaders { get; init; }

    /// <summary>Most cookie conditions over a batch's matches (NGINX: 1), or null for no limit.</summary>
    public int? MaxCookies { get; init; }

    public MirrorSupport Mirror { get; init; }

    /// <summary>Services alone: weights follow the pods; no match, no mirror.</summary>
    public static TrafficCapabilities None { get; } = new();
}

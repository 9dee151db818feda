namespace Sluice.Dashboard;

/// <summary>How <c>sluice dashboard</c> (or <c>sluice up --dashboard</c>) serves the dashboard.</summary>
public sealed record DashboardOptions
{
    /// <summary>The address to listen on: loopback unless exposed deliberately (<c>--address</c>).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 takes a free one.</summary>
    public int Port { get; init; }

    /// <summary>Watch only this namespace (for an identity that may not list cluster-wide); null watches all.</summary>
    public string? Namespace { get; init; }

    /// <summary>The access token; null makes a random one.</summary>
    public string? Token { get; init; }

    /// <summary>Said in the page's footer: which cluster, as whom.</summary>
    public string ClusterDescription { get; init; } = "";
}

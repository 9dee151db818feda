namespace Sluice.Core.Operations;

/// <summary>
/// The port through which views read a <see cref="LiveShare"/>: the embedded plane's data plane implements it (its
/// <c>traffic</c> endpoint); a real cluster has none, and views then say nothing about live shares.
/// </summary>
public interface ILiveTraffic
{
    /// <summary>The share of the clients of Service <paramref name="service"/> in <paramref name="ns"/>, or null when no simulated client sends to it.</summary>
    Task<LiveShare?> ReadAsync(string ns, string service, CancellationToken cancellationToken);
}

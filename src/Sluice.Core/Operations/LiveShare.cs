namespace Sluice.Core.Operations;

/// <summary>
/// The requests a Service's clients sent since its routing last changed, as a data plane counted them, and who answered
/// them: what share of the traffic each revision really takes now (the embedded plane's simulated clients; a real cluster
/// has no such count and shows none).
/// </summary>
/// <param name="Service">"namespace/name" of the Service the clients use.</param>
/// <param name="Since">When the routing the requests went through began (the oldest of the current routes' segments).</param>
/// <param name="At">When the data plane last counted.</param>
/// <param name="Requests">Requests the clients sent in that time.</param>
/// <param name="FailedByRollout">Requests answered 503 because the Service they were sent to had no ready pod.</param>
/// <param name="Revisions">Each revision that answered, largest share first.</param>
public sealed record LiveShare(string Service, DateTimeOffset Since, DateTimeOffset At, long Requests, long FailedByRollout, IReadOnlyList<RevisionShare> Revisions)
{
    public TimeSpan Over => At - Since;

    /// <summary>The share of <paramref name="revision"/> (0 when it answered none).</summary>
    public double PercentOf(string revision) => Revisions.FirstOrDefault(r => r.Revision == revision)?.Percent ?? 0;
}

/// <summary>One revision's part of a <see cref="LiveShare"/>.</summary>
/// <param name="Percent">Percent of the clients' requests its pods answered.</param>
/// <param name="Answered">Requests its pods answered (2xx or not).</param>
/// <param name="Errors">Of those, answered with a 5xx by the pods themselves.</param>
/// <param name="MirroredPercent">Copies it received (answers discarded), as a percent of the clients' requests.</param>
public sealed record RevisionShare(string Revision, double Percent, long Answered, long Errors, double MirroredPercent)
{
    /// <summary>Percent of its answers that were 5xx (0 with none).</summary>
    public double ErrorPercent => Answered == 0 ? 0 : Errors * 100.0 / Answered;
}

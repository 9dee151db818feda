namespace Sluice.Simulator.Traffic;

/// <summary>Mutable <see cref="RequestCounts"/> the data plane adds to under its lock.</summary>
internal sealed class Tally
{
    public long Sent;
    public long Succeeded;
    public long Failed;
    public long FailedNoEndpoint;
    public long NotRouted;
    public long Mirrored;
    public long MirroredFailed;

    public RequestCounts Freeze() => new(Sent, Succeeded, Failed, FailedNoEndpoint, NotRouted, Mirrored, MirroredFailed);
}

/// <summary>A tally with one per revision beside it.</summary>
internal sealed class RevisionTally
{
    public Tally Total { get; } = new();

    public Dictionary<string, Tally> Revisions { get; } = new(StringComparer.Ordinal);

    public Tally Revision(string revision)
    {
        if (!Revisions.TryGetValue(revision, out var tally))
        {
            Revisions[revision] = tally = new Tally();
        }

        return tally;
    }

    public IReadOnlyList<RevisionCounts> FreezeRevisions() =>
        Revisions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new RevisionCounts(p.Key, p.Value.Freeze())).ToList();
}

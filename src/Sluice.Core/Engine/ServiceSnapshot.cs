namespace Sluice.Core.Engine;

/// <summary>One Service a rollout steers, as observed.</summary>
public sealed record ServiceSnapshot(ServiceRole Role, string Name)
{
    public bool Exists { get; init; }

    /// <summary>The <c>rollout.sluice.dev/template-hash</c> its selector pins, or null when it pins none.</summary>
    public string? SelectedHash { get; init; }

    /// <summary>Its selector as found is recorded on it (the rollout changed it and will put it back).</summary>
    public bool OriginalRecorded { get; init; }

    /// <summary>The rollout created it (and deletes it on reset).</summary>
    public bool CreatedByRollout { get; init; }

    /// <summary>Ready pods its selector selects now (not being deleted): 0 means requests sent to it fail.</summary>
    public int ReadyPods { get; init; }

    public override string ToString() =>
        !Exists ? $"{Role} Service {Name}: missing" : $"{Role} Service {Name}: {(SelectedHash is null ? "every revision" : $"revision {SelectedHash}")}, {ReadyPods} ready pod(s)";
}

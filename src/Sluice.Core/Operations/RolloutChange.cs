using System.Text.Json.Nodes;

namespace Sluice.Core.Operations;

/// <summary>
/// What an operation does to a rollout through the API: a JSON merge patch on the object (carrying the
/// resourceVersion it was decided on, so a concurrent change makes it fail rather than act on stale state), then
/// optionally a /status write with an empty status. Or, when it does not apply in the current state, why not.
/// <see cref="Intent"/> says beforehand what will happen (a confirmation's text); <see cref="Summary"/> says afterwards what was done.
/// </summary>
public sealed record RolloutChange(JsonObject? Patch, bool ResetStatus, string Intent, string Summary, string? Refusal)
{
    public bool Refused => Refusal is not null;

    public static RolloutChange Refuse(string why) => new(null, false, string.Empty, string.Empty, why);
}

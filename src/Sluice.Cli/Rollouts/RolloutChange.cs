using System.Text.Json.Nodes;

namespace Sluice.Cli.Rollouts;

/// <summary>
/// What an operation does to a rollout through the API: a JSON merge patch on the object (carrying the
/// resourceVersion it was decided on, so a concurrent change makes it fail rather than act on stale state), then
/// optionally a /status write with an empty status. Or, when it does not apply in the current state, why not.
/// </summary>
internal sealed record RolloutChange(JsonObject? Patch, bool ResetStatus, string Summary, string? Refusal)
{
    public bool Refused => Refusal is not null;

    public static RolloutChange Refuse(string why) => new(null, false, string.Empty, why);
}

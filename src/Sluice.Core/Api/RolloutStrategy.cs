using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

[JsonConverter(typeof(ApiEnumJsonConverter<RolloutStrategy>))]
public enum RolloutStrategy
{
    /// <summary>Bring new pods up before taking old ones down (the default).</summary>
    IncreaseFirst,

    /// <summary>Take old pods down before bringing new ones up.</summary>
    DecreaseFirst,
}

using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

[JsonConverter(typeof(ApiEnumJsonConverter<OnFailure>))]
public enum OnFailure
{
    /// <summary>Put every pod back on the source revision (the default).</summary>
    Rollback,

    /// <summary>Leave the workload as it is, paused.</summary>
    Pause,
}

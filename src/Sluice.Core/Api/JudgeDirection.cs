using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>Which change of a judged metric is bad.</summary>
[JsonConverter(typeof(ApiEnumJsonConverter<JudgeDirection>))]
public enum JudgeDirection
{
    [JsonStringEnumMemberName("increase")]
    Increase,

    [JsonStringEnumMemberName("decrease")]
    Decrease,

    [JsonStringEnumMemberName("either")]
    Either,
}

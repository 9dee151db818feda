using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

[JsonConverter(typeof(ApiEnumJsonConverter<ConditionStatus>))]
public enum ConditionStatus
{
    True,
    False,
    Unknown,
}

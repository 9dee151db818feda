using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

[JsonConverter(typeof(ApiEnumJsonConverter<WebMetricMethod>))]
public enum WebMetricMethod
{
    GET,
    POST,
    PUT,
}

using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

[JsonConverter(typeof(ApiEnumJsonConverter<WebhookMethod>))]
public enum WebhookMethod
{
    POST,
    GET,
    PUT,
}

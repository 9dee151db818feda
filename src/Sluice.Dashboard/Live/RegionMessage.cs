using System.Text.Json.Serialization;

namespace Sluice.Dashboard.Live;

/// <summary>One message of a page's event stream: the new inner HTML of the element with this id.</summary>
internal sealed record RegionMessage([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("html")] string Html);

[JsonSerializable(typeof(RegionMessage))]
internal sealed partial class DashboardJson : JsonSerializerContext;

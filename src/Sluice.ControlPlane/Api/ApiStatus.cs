using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Api;

/// <summary>
/// A failed request as kube-apiserver reports it: a <c>Status</c> object (apiVersion v1) with
/// reason, message, code and details naming the object and the offending fields.
/// </summary>
public sealed record ApiStatus(
    int Code,
    string Reason,
    string Message,
    string? Name = null,
    string? Group = null,
    string? Kind = null,
    IReadOnlyList<StatusCause>? Causes = null,
    int? RetryAfterSeconds = null)
{
    public JsonObject ToJson()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        var details = new JsonObject();
        if (Name is not null)
        {
            details["name"] = Name;
        }
        if (Group is not null)
        {
            details["group"] = Group;
        }
        if (Kind is not null)
        {
            details["kind"] = Kind;
        }
        if (Causes is { Count: > 0 })
        {
            details["causes"] = new JsonArray(Causes
                .Select(c => (JsonNode?)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field })
                .ToArray());
        }
        if (RetryAfterSeconds is { } retry)
        {
            details["retryAfterSeconds"] = retry;
        }
        if (details.Count > 0)
        {
            status["details"] = details;
        }
        status["code"] = Code;
        return status;
    }
}

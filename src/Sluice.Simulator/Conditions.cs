using System.Text.Json.Nodes;

namespace Sluice.Simulator;

/// <summary>Status conditions as the workload controllers keep them: lastTransitionTime moves only when the status flips.</summary>
internal static class Conditions
{
    public static JsonObject? Find(JsonNode? status, string type) =>
        (Json.At(status, "conditions") as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => Json.Str(c, "type") == type);

    /// <summary>Sets a condition in <paramref name="status"/>; with <paramref name="withUpdateTime"/> also lastUpdateTime (Deployments).</summary>
    public static void Set(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now, bool withUpdateTime)
    {
        var list = status["conditions"] as JsonArray ?? [];
        status["conditions"] = list;
        var old = list.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c, "type") == type);
        if (old is not null && Json.Str(old, "status") == value && Json.Str(old, "reason") == reason && Json.Str(old, "message") == message)
        {
            return;
        }
        var condition = new JsonObject { ["type"] = type, ["status"] = value };
        if (withUpdateTime)
        {
            condition["lastUpdateTime"] = Json.Timestamp(now);
        }
        condition["lastTransitionTime"] = old is not null && Json.Str(old, "status") == value ? Json.Str(old, "lastTransitionTime") : Json.Timestamp(now);
        condition["reason"] = reason;
        condition["message"] = message;
        if (old is null)
        {
            list.Add(condition);
        }
        else
        {
            list[list.IndexOf(old)] = condition;
        }
    }

    /// <summary>Sets a condition and always moves lastUpdateTime (a Deployment that keeps progressing).</summary>
    public static void Touch(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now)
    {
        Set(status, type, value, reason, message, now, withUpdateTime: true);
        if (Find(status, type) is { } c)
        {
            c["lastUpdateTime"] = Json.Timestamp(now);
        }
    }

    public static void Remove(JsonObject status, string type)
    {
        if (status["conditions"] is JsonArray list && list.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c, "type") == type) is { } old)
        {
            list.Remove(old);
        }
    }
}

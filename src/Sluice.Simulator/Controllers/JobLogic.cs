using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// The Job controller: run pods from the template, at most <c>parallelism</c> at once, until <c>completions</c> of
/// them succeeded (Complete, with SuccessCriteriaMet first, as Kubernetes 1.31+ writes), or more than
/// <c>backoffLimit</c> failed (Failed, reason BackoffLimitExceeded, active pods deleted). A suspended Job runs none.
/// Status: active, ready, succeeded, failed, terminating, startTime, completionTime, conditions.
/// </summary>
internal static class JobLogic
{
    public static JobPlan Plan(JsonObject job, IReadOnlyList<JsonObject> pods, DateTimeOffset now)
    {
        var status = job["status"]?.DeepClone() as JsonObject ?? [];
        var conditions = status["conditions"] as JsonArray ?? [];
        bool Has(string type) => conditions.OfType<JsonObject>().Any(c => Json.Str(c, "type") == type && Json.Str(c, "status") == "True");
        var active = pods.Where(Pods.IsActive).ToList();
        var succeeded = pods.Count(p => Json.Str(p, "status", "phase") == "Succeeded");
        var failed = pods.Count(p => Json.Str(p, "status", "phase") == "Failed");
        var completions = Json.At(job, "spec", "completions") is null ? (int?)null : Json.Int(job, 1, "spec", "completions");
        var parallelism = Json.Int(job, 1, "spec", "parallelism");
        var backoffLimit = Json.Int(job, 6, "spec", "backoffLimit");
        var suspended = Json.At(job, "spec", "suspend")?.GetValue<bool>() == true;
        var create = new List<JsonObject>();
        var delete = new List<JsonObject>();
        var stamp = Json.Timestamp(now);

        if (!Has("Complete") && !Has("Failed") && !Json.Deleting(job))
        {
            if (failed > backoffLimit)
            {
                conditions.Add(Condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", stamp));
                conditions.Add(Condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", stamp));
                delete.AddRange(active);
            }
            else if (completions is { } c ? succeeded >= c : succeeded > 0 && active.Count == 0)
            {
                conditions.Add(Condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", stamp));
                conditions.Add(Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", stamp));
                status["completionTime"] = stamp;
            }
            else if (!suspended)
            {
                var wanted = completions is { } total ? Math.Min(parallelism, total - succeeded) : (succeeded > 0 ? 0 : parallelism);
                var owner = Json.OwnerReference("batch/v1", "Job", job);
                for (var i = active.Count; i < wanted; i++)
                {
                    create.Add(Pods.FromTemplate(job["spec"]?["template"], Json.Namespace(job), null, Json.Name(job) + "-", owner, new Dictionary<string, string>()));
                }
                if (status["startTime"] is null)
                {
                    status["startTime"] = stamp;
                }
            }
        }

        status["active"] = active.Count - delete.Count + create.Count;
        status["ready"] = active.Count(Pods.IsReady);
        status["succeeded"] = succeeded;
        status["failed"] = failed;
        status["terminating"] = 0;
        status["uncountedTerminatedPods"] = new JsonObject();
        if (conditions.Count > 0)
        {
            status["conditions"] = conditions;
        }
        foreach (var key in new[] { "active", "succeeded", "failed" })
        {
            if (status[key]?.GetValue<int>() == 0)
            {
                status.Remove(key);
            }
        }
        return new JobPlan(create, delete, status);
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
        ["lastProbeTime"] = now,
        ["lastTransitionTime"] = now,
    };
}

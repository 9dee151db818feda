using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// The CronJob controller: at the latest scheduled time not yet run (missed ones are not run twice), create the Job
/// <c>&lt;cronjob&gt;-&lt;minutes since the epoch&gt;</c> from <c>jobTemplate</c>, unless suspended or, with
/// <c>concurrencyPolicy: Forbid</c>, a Job still runs (<c>Replace</c> deletes it first); keep
/// <c>successfulJobsHistoryLimit</c> and <c>failedJobsHistoryLimit</c> finished Jobs. Status: active, lastScheduleTime,
/// lastSuccessfulTime. Times are in <c>spec.timeZone</c> (UTC by default).
/// </summary>
internal static class CronJobLogic
{
    public const string ScheduledAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    public static CronJobPlan Plan(JsonObject cronJob, IReadOnlyList<JsonObject> jobs, DateTimeOffset now)
    {
        var status = cronJob["status"]?.DeepClone() as JsonObject ?? [];
        var schedule = CronSchedule.Parse(Json.Str(cronJob, "spec", "schedule"), out _);
        var zone = Zone(Json.Str(cronJob, "spec", "timeZone"));
        var running = jobs.Where(j => !Finished(j, out _)).ToList();
        var delete = new List<JsonObject>();
        JsonObject? create = null;
        DateTimeOffset? wake = null;
        if (schedule is not null && zone is not null && !Json.Deleting(cronJob))
        {
            var since = Json.Time(status, "lastScheduleTime") ?? Json.Time(cronJob, "metadata", "creationTimestamp") ?? now;
            DateTimeOffset? due = null;
            for (var t = schedule.Next(since, zone); t is { } at && at <= now; t = schedule.Next(at, zone))
            {
                due = at;
            }
            var suspended = Json.At(cronJob, "spec", "suspend")?.GetValue<bool>() == true;
            var policy = Json.Str(cronJob, "spec", "concurrencyPolicy");
            if (due is { } scheduled && !suspended && !(policy == "Forbid" && running.Count > 0))
            {
                var name = $"{Json.Name(cronJob)}-{(scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture)}";
                if (!jobs.Any(j => Json.Name(j) == name))
                {
                    if (policy == "Replace")
                    {
                        delete.AddRange(running);
                        running.Clear();
                    }
                    create = NewJob(cronJob, name, scheduled);
                }
                status["lastScheduleTime"] = Json.Timestamp(scheduled);
            }
            wake = schedule.Next(now, zone);
        }

        var succeeded = jobs.Where(j => Finished(j, out var ok) && ok).OrderBy(j => Json.Time(j, "status", "completionTime") ?? DateTimeOffset.MinValue).ToList();
        var failed = jobs.Where(j => Finished(j, out var ok) && !ok).OrderBy(j => Json.Time(j, "metadata", "creationTimestamp") ?? DateTimeOffset.MinValue).ToList();
        delete.AddRange(succeeded.Take(Math.Max(0, succeeded.Count - Json.Int(cronJob, 3, "spec", "successfulJobsHistoryLimit"))));
        delete.AddRange(failed.Take(Math.Max(0, failed.Count - Json.Int(cronJob, 1, "spec", "failedJobsHistoryLimit"))));
        if (succeeded.LastOrDefault() is { } last && Json.Str(last, "status", "completionTime") is { Length: > 0 } completed)
        {
            status["lastSuccessfulTime"] = completed;
        }

        var active = new JsonArray();
        foreach (var job in running.Where(j => !delete.Contains(j)))
        {
            active.Add(new JsonObject
            {
                ["apiVersion"] = "batch/v1",
                ["kind"] = "Job",
                ["name"] = Json.Name(job),
                ["namespace"] = Json.Namespace(job),
                ["uid"] = Json.Uid(job),
                ["resourceVersion"] = Json.ResourceVersion(job),
            });
        }
        if (active.Count > 0)
        {
            status["active"] = active;
        }
        else
        {
            status.Remove("active");
        }
        return new CronJobPlan(create, delete, status, wake);
    }

    private static bool Finished(JsonObject job, out bool succeeded)
    {
        var conditions = (Json.At(job, "status", "conditions") as JsonArray ?? []).OfType<JsonObject>().ToList();
        succeeded = conditions.Any(c => Json.Str(c, "type") == "Complete" && Json.Str(c, "status") == "True");
        return succeeded || conditions.Any(c => Json.Str(c, "type") == "Failed" && Json.Str(c, "status") == "True");
    }

    private static TimeZoneInfo? Zone(string name)
    {
        if (name.Length == 0)
        {
            return TimeZoneInfo.Utc;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static JsonObject NewJob(JsonObject cronJob, string name, DateTimeOffset scheduled)
    {
        var template = Json.At(cronJob, "spec", "jobTemplate") as JsonObject ?? [];
        var metadata = template["metadata"]?.DeepClone() as JsonObject ?? [];
        metadata["name"] = name;
        metadata["namespace"] = Json.Namespace(cronJob);
        var annotations = metadata["annotations"] as JsonObject ?? [];
        annotations[ScheduledAnnotation] = scheduled.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        metadata["annotations"] = annotations;
        metadata["ownerReferences"] = new JsonArray(Json.OwnerReference("batch/v1", "CronJob", cronJob));
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = metadata,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }
}

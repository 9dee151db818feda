using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.Simulator;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests;

/// <summary>Jobs run their pods to completion; CronJobs create Jobs on their schedule.</summary>
public sealed class WorkloadSimulatorJobTests
{
    private static readonly GroupResource Jobs = new("batch", "jobs");
    private static readonly GroupResource CronJobs = new("batch", "cronjobs");

    private static string Job(string name, int completions, int parallelism, string restartPolicy = "Never", string annotations = "{}") => """
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"NAME"},
         "spec":{"completions":COMPLETIONS,"parallelism":PARALLELISM,"backoffLimit":1,
          "template":{"metadata":{"annotations":ANNOTATIONS},"spec":{"restartPolicy":"RESTART","containers":[{"name":"task","image":"busybox:1.36"}]}}}}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("COMPLETIONS", completions.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("PARALLELISM", parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("ANNOTATIONS", annotations, StringComparison.Ordinal).Replace("RESTART", restartPolicy, StringComparison.Ordinal);

    private static bool Has(JsonObject job, string condition) =>
        (Json.At(job, "status", "conditions") as JsonArray ?? []).OfType<JsonObject>().Any(c => Json.Str(c, "type") == condition && Json.Str(c, "status") == "True");

    [Fact]
    public async Task Reconcile_JobOfThreeCompletionsTwoAtATime_RunsEveryPodToCompletionAndCompletes()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(Jobs, Job("migrate", completions: 3, parallelism: 2));

        await SimCluster.WaitUntil(() => Has(cluster.Get(Jobs, "migrate"), "Complete"), "the Job completes");

        var job = cluster.Get(Jobs, "migrate");
        Json.Int(job, -1, "status", "succeeded").ShouldBe(3);
        Json.At(job, "status", "active").ShouldBeNull();
        Json.Str(job, "status", "completionTime").ShouldNotBeEmpty();
        Has(job, "SuccessCriteriaMet").ShouldBeTrue();
        var pods = cluster.PodsLabelled("job-name=migrate");
        pods.Count.ShouldBe(3);
        pods.ShouldAllBe(p => Json.Str(p, "status", "phase") == "Succeeded");
        pods.ShouldAllBe(p => Json.Int(p, -1, "status", "containerStatuses", "0", "state", "terminated", "exitCode") == 0);
    }

    [Fact]
    public async Task Reconcile_JobWhosePodsFail_FailsPastItsBackoffLimit()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(Jobs, Job("broken", completions: 1, parallelism: 1, annotations: """{"sim.sluice.dev/fault":"crash-loop"}"""));

        await SimCluster.WaitUntil(() => Has(cluster.Get(Jobs, "broken"), "Failed"), "the Job fails");

        var job = cluster.Get(Jobs, "broken");
        Json.Int(job, -1, "status", "failed").ShouldBe(2);
        (Json.At(job, "status", "conditions") as JsonArray)!.OfType<JsonObject>().Single(c => Json.Str(c, "type") == "Failed")["reason"]!.GetValue<string>().ShouldBe("BackoffLimitExceeded");
    }

    [Fact]
    public async Task Reconcile_CronJobEveryMinute_CreatesAJobForTheScheduleThatRunsToCompletion()
    {
        await using var cluster = await SimCluster.StartAsync();
        // The store stamps creationTimestamp now: backdate the schedule's start by writing lastScheduleTime (atomically: the simulator writes too).
        cluster.Apply(CronJobs, """
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"report"},
             "spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"r","image":"busybox:1.36"}]}}}}}}
            """);
        var past = TimeProvider.System.GetUtcNow().AddMinutes(-2);
        cluster.Store.Mutate(CronJobs, "default", "report", live =>
        {
            live["status"] = new JsonObject { ["lastScheduleTime"] = past.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) };
            return live;
        }, Sluice.ControlPlane.Store.UpdateScope.Status);

        JsonObject? job = null;
        await SimCluster.WaitUntil(() =>
        {
            job = cluster.Store.List(Jobs, "default").Items.FirstOrDefault(j => Json.Str(j, "metadata", "name").StartsWith("report-", StringComparison.Ordinal));
            return job is not null && Has(job, "Complete");
        }, "a Job of the CronJob completes");

        Json.Str(job!, "metadata", "ownerReferences", "0", "kind").ShouldBe("CronJob");
        Json.Str(job!, "metadata", "annotations", "batch.kubernetes.io/cronjob-scheduled-timestamp").ShouldNotBeEmpty();
        var name = Json.Str(job!, "metadata", "name");
        long.Parse(name["report-".Length..], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(past.ToUnixTimeSeconds() / 60);
        await SimCluster.WaitUntil(() => Json.Str(cluster.Get(CronJobs, "report"), "status", "lastScheduleTime").Length > 0
            && Json.At(cluster.Get(CronJobs, "report"), "status", "lastSuccessfulTime") is not null, "the CronJob records the run");
    }
}

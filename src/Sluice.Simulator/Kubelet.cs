using System.Text.Json.Nodes;

namespace Sluice.Simulator;

/// <summary>
/// The simulated kubelet, as a pure function of a pod, the time and the pod's ready delay. It is
/// level-triggered: everything it needs is in the pod's own status (startTime, container states,
/// restart counts), so any step can be repeated or skipped.
/// <para>
/// Timeline of a healthy pod with ready delay D: Pending with ContainerCreating from its first sight
/// (startTime) until startTime + D/4, then Running (not ready) until startTime + D, then Ready.
/// A container whose image changed in place restarts (restartCount + 1) and is ready 3D/4 later.
/// Faults (annotation <c>sim.sluice.dev/fault</c>): never-ready keeps the container unready;
/// crash-loop crashes it when it would become ready and restarts it with back-off 10s, 20s, ... 5m
/// (state waiting CrashLoopBackOff); fail-after=X turns it unready X after it became ready;
/// slow-start=X delays readiness by X.
/// </para>
/// <para>
/// A pod that runs to completion (restartPolicy Never or OnFailure, as a Job's) runs until it would become ready,
/// then its containers exit 0 and it Succeeds; with crash-loop and Never its container exits 1 and it Fails.
/// </para>
/// </summary>
internal static class Kubelet
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);

    public static KubeletStep Step(JsonObject pod, DateTimeOffset now, TimeSpan readyDelay)
    {
        if (Json.Str(pod, "spec", "nodeName").Length == 0 || Json.Deleting(pod))
        {
            return new KubeletStep(null, null);
        }
        var fault = PodFault.Parse(Json.Annotation(pod, PodFault.Annotation));
        var old = pod["status"] as JsonObject ?? [];
        var restartPolicy = Json.Str(pod, "spec", "restartPolicy");
        var completes = restartPolicy is "Never" or "OnFailure";
        if (completes && Json.Str(old, "phase") is "Succeeded" or "Failed")
        {
            return new KubeletStep(null, null);
        }
        var start = Json.Time(old, "startTime") ?? now;
        var pull = readyDelay / 4;
        var warm = readyDelay - pull + fault.SlowStart;
        DateTimeOffset? wake = null;
        void WakeAt(DateTimeOffset t) => wake = wake is { } w && w < t ? w : t;

        var oldStatuses = (old["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(c => Json.Str(c, "name"));
        var statuses = new JsonArray();
        var unready = new List<string>();
        var anyStarted = false;
        var why = "";
        foreach (var container in (Json.At(pod, "spec", "containers") as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Json.Str(container, "name");
            var image = Json.Str(container, "image");
            oldStatuses.TryGetValue(name, out var cs);
            var (status, ready, reason) = Container(cs, name, image, start, pull, warm, fault, now, WakeAt);
            if (completes && ready)
            {
                status = Finished(status, Json.Time(status, "state", "running", "startedAt") ?? start, now, 0, "Completed");
                ready = false;
            }
            else if (completes && restartPolicy == "Never" && Json.Str(status, "state", "waiting", "reason") == "CrashLoopBackOff")
            {
                status = Finished(status, Json.Time(status, "lastState", "terminated", "startedAt") ?? start, now, 1, "Error");
            }
            anyStarted |= status["started"]?.GetValue<bool>() == true || status["lastState"] is JsonObject { Count: > 0 };
            if (!ready)
            {
                unready.Add(name);
                why = why.Length == 0 ? reason : why;
            }
            statuses.Add(status);
        }

        var conditions = (old["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(c => Json.Str(c, "type"));
        var gates = (Json.At(pod, "spec", "readinessGates") as JsonArray ?? []).OfType<JsonObject>()
            .Select(g => Json.Str(g, "conditionType")).Where(t => t.Length > 0).ToList();
        var openGates = gates.Where(g => !conditions.TryGetValue(g, out var c) || Json.Str(c, "status") != "True").ToList();
        var containersReady = unready.Count == 0;
        var unreadyMessage = $"containers with unready status: [{string.Join(" ", unready)}]" + (why.Length > 0 ? $" ({why})" : "");

        var terminated = statuses.OfType<JsonObject>().Select(c => Json.At(c, "state", "terminated")).ToList();
        var finished = completes && terminated.Count > 0 && terminated.All(t => t is not null);
        var phase = finished
            ? terminated.All(t => Json.Int(t, 0, "exitCode") == 0) ? "Succeeded" : "Failed"
            : anyStarted ? "Running" : "Pending";
        if (finished)
        {
            containersReady = false;
            why = "";
            unreadyMessage = "";
        }
        var next = new JsonObject
        {
            ["phase"] = phase,
            ["hostIP"] = HostIp(Json.Str(pod, "spec", "nodeName")),
            ["podIP"] = PodIp(pod),
            ["startTime"] = Json.PreciseTimestamp(start),
            ["qosClass"] = "BestEffort",
        };
        var nextConditions = new JsonArray
        {
            Condition(conditions, "PodScheduled", true, "", "", now),
            Condition(conditions, "Initialized", true, "", "", now),
            Condition(conditions, "ContainersReady", containersReady, containersReady ? "" : finished ? "PodCompleted" : "ContainersNotReady", containersReady ? "" : unreadyMessage, now),
            Condition(conditions, "Ready", containersReady && openGates.Count == 0,
                !containersReady ? (finished ? "PodCompleted" : "ContainersNotReady") : openGates.Count > 0 ? "ReadinessGatesNotReady" : "",
                !containersReady ? unreadyMessage : openGates.Count > 0 ? $"the status of pod readiness gate \"{openGates[0]}\" is not \"True\"" : "",
                now),
        };
        foreach (var (type, condition) in conditions)
        {
            if (type is not ("PodScheduled" or "Initialized" or "ContainersReady" or "Ready"))
            {
                nextConditions.Add(condition.DeepClone());
            }
        }
        next["conditions"] = nextConditions;
        next["containerStatuses"] = statuses;
        return new KubeletStep(Json.Canonical(next) == Json.Canonical(old) ? null : next, wake);
    }

    /// <summary>
    /// A pod being deleted: its containers were told to stop and have exited (terminated, exit code 0), so it is not
    /// ready at once (Ready and ContainersReady False, reason PodCompleted); null when its status already says so.
    /// The runner removes the pod once its simulated grace period has passed.
    /// </summary>
    public static JsonObject? Terminating(JsonObject pod, DateTimeOffset now)
    {
        var old = pod["status"] as JsonObject ?? [];
        var next = (JsonObject)old.DeepClone();
        var statuses = new JsonArray();
        foreach (var cs in (old["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var status = (JsonObject)cs.DeepClone();
            if (Json.At(cs, "state", "terminated") is null)
            {
                var startedAt = Json.Time(cs, "state", "running", "startedAt") ?? now;
                status["state"] = Terminated(startedAt, now, 0, "Completed");
            }
            status["ready"] = false;
            status["started"] = false;
            statuses.Add(status);
        }
        next["containerStatuses"] = statuses;
        var conditions = (old["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(c => Json.Str(c, "type"));
        var nextConditions = new JsonArray();
        foreach (var (type, condition) in conditions)
        {
            nextConditions.Add(type is "Ready" or "ContainersReady"
                ? Condition(conditions, type, false, "PodCompleted", "", now)
                : condition.DeepClone());
        }
        if (!conditions.ContainsKey("Ready"))
        {
            nextConditions.Add(Condition(conditions, "Ready", false, "PodCompleted", "", now));
        }
        next["conditions"] = nextConditions;
        return Json.Canonical(next) == Json.Canonical(old) ? null : next;
    }

    private static (JsonObject Status, bool Ready, string Reason) Container(JsonObject? cs, string name, string image,
        DateTimeOffset start, TimeSpan pull, TimeSpan warm, PodFault fault, DateTimeOffset now, Action<DateTimeOffset> wakeAt)
    {
        var restarts = Json.Int(cs, 0, "restartCount");
        var lastState = Json.At(cs, "lastState")?.DeepClone() as JsonObject ?? [];
        DateTimeOffset startedAt;
        if (cs is null || Json.Str(cs, "state", "waiting", "reason") == "ContainerCreating")
        {
            if (now < start + pull)
            {
                wakeAt(start + pull);
                return (Waiting(name, image, "ContainerCreating", "", restarts, lastState), false, "ContainerCreating");
            }
            startedAt = start + pull;
        }
        else if (Json.Str(cs, "image") != image)
        {
            // The image changed in place: the kubelet kills the container and starts the new image.
            lastState = Terminated(Json.Time(cs, "state", "running", "startedAt") ?? start, now, 0, "Completed");
            restarts++;
            startedAt = now;
        }
        else if (Json.At(cs, "state", "waiting") is JsonObject waiting && Json.Str(waiting, "reason") == "CrashLoopBackOff")
        {
            var restartAt = (Json.Time(cs, "lastState", "terminated", "finishedAt") ?? now) + BackOff(restarts);
            if (now < restartAt)
            {
                wakeAt(restartAt);
                return (Waiting(name, image, "CrashLoopBackOff", $"back-off {BackOff(restarts).TotalSeconds:0}s restarting failed container={name}", restarts, lastState),
                    false, "CrashLoopBackOff: the container crashes on start (sim.sluice.dev/fault: crash-loop)");
            }
            restarts++;
            startedAt = restartAt;
        }
        else
        {
            // A container that never restarted started when the pod's pull ended: from startTime, which is kept to the
            // microsecond (the stored startedAt is in whole seconds, as Kubernetes writes it).
            startedAt = restarts == 0 ? start + pull : Json.Time(cs, "state", "running", "startedAt") ?? start + pull;
        }

        var readyAt = startedAt + warm;
        var ready = false;
        var reason = "";
        if (fault.CrashLoop)
        {
            if (now >= readyAt)
            {
                var crashed = Terminated(startedAt, readyAt, 1, "Error");
                wakeAt(readyAt + BackOff(restarts));
                return (Waiting(name, image, "CrashLoopBackOff", $"back-off {BackOff(restarts).TotalSeconds:0}s restarting failed container={name}", restarts, crashed),
                    false, "CrashLoopBackOff: the container crashes on start (sim.sluice.dev/fault: crash-loop)");
            }
            wakeAt(readyAt);
            reason = "the container has not passed its readiness probe yet";
        }
        else if (fault.NeverReady)
        {
            reason = $"Readiness probe failed (sim.sluice.dev/fault: {fault.Text})";
        }
        else if (now < readyAt)
        {
            wakeAt(readyAt);
            reason = "the container has not passed its readiness probe yet";
        }
        else if (fault.FailAfter is { } after && now >= readyAt + after)
        {
            reason = $"Readiness probe failed (sim.sluice.dev/fault: {fault.Text})";
        }
        else
        {
            ready = true;
            if (fault.FailAfter is { } failAfter)
            {
                wakeAt(readyAt + failAfter);
            }
        }
        var status = new JsonObject
        {
            ["name"] = name,
            ["image"] = image,
            ["imageID"] = $"sim://{image}",
            ["containerID"] = $"sim://{name}-{restarts}",
            ["ready"] = ready,
            ["started"] = true,
            ["restartCount"] = restarts,
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Json.Timestamp(startedAt) } },
            ["lastState"] = lastState,
        };
        return (status, ready, reason);
    }

    /// <summary>A container that ran to its end: terminated with <paramref name="exitCode"/>, not ready.</summary>
    private static JsonObject Finished(JsonObject status, DateTimeOffset startedAt, DateTimeOffset finishedAt, int exitCode, string reason)
    {
        var done = (JsonObject)status.DeepClone();
        done["ready"] = false;
        done["started"] = false;
        done["state"] = Terminated(startedAt, finishedAt, exitCode, reason);
        return done;
    }

    private static TimeSpan BackOff(int restarts)
    {
        var seconds = 10.0 * Math.Pow(2, Math.Min(restarts, 10));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxBackOff.TotalSeconds));
    }

    private static JsonObject Waiting(string name, string image, string reason, string message, int restarts, JsonObject lastState)
    {
        var waiting = new JsonObject { ["reason"] = reason };
        if (message.Length > 0)
        {
            waiting["message"] = message;
        }
        return new JsonObject
        {
            ["name"] = name,
            ["image"] = image,
            ["imageID"] = reason == "ContainerCreating" ? "" : $"sim://{image}",
            ["ready"] = false,
            ["started"] = false,
            ["restartCount"] = restarts,
            ["state"] = new JsonObject { ["waiting"] = waiting },
            ["lastState"] = lastState,
        };
    }

    private static JsonObject Terminated(DateTimeOffset startedAt, DateTimeOffset finishedAt, int exitCode, string reason) => new()
    {
        ["terminated"] = new JsonObject
        {
            ["exitCode"] = exitCode,
            ["reason"] = reason,
            ["startedAt"] = Json.Timestamp(startedAt),
            ["finishedAt"] = Json.Timestamp(finishedAt),
        },
    };

    private static JsonObject Condition(Dictionary<string, JsonObject> old, string type, bool value, string reason, string message, DateTimeOffset now)
    {
        var status = value ? "True" : "False";
        var since = old.TryGetValue(type, out var previous) && Json.Str(previous, "status") == status
            ? Json.Str(previous, "lastTransitionTime")
            : Json.Timestamp(now);
        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = since };
        if (reason.Length > 0)
        {
            condition["reason"] = reason;
            if (message.Length > 0)
            {
                condition["message"] = message;
            }
        }
        return condition;
    }

    private static string HostIp(string node) =>
        $"10.0.0.{(node.LastIndexOf('-') is var at and >= 0 && int.TryParse(node[(at + 1)..], out var n) ? n + 10 : 10)}";

    private static string PodIp(JsonObject pod)
    {
        var hash = 2166136261u;
        foreach (var c in Json.Uid(pod) + Json.Name(pod))
        {
            hash = (hash ^ c) * 16777619u;
        }
        return $"10.244.{hash % 250}.{(hash >> 8) % 250 + 2}";
    }
}

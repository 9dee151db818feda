using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Defaulting;

/// <summary>
/// Kubernetes' defaulting for the built-in kinds the plane serves (the SetDefaults functions of the API's v1 types and
/// what their registries set on create), applied on every create and update before the object is compared or
/// stored, so that what <c>kubectl get -o yaml</c> shows is what a cluster shows: a Deployment without replicas has 1,
/// a container without imagePullPolicy gets one from its image's tag, a Service port its protocol and targetPort.
/// Idempotent: defaulting a defaulted object changes nothing.
/// </summary>
internal static class BuiltInDefaults
{
    /// <summary>Fills in the defaults of <paramref name="obj"/>; throws a 422 where Kubernetes' validation would refuse what defaulting cannot fix.</summary>
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
        {
            return;
        }
        var spec = obj["spec"] as JsonObject;
        switch (type.Group, type.Plural)
        {
            case ("apps", "deployments") when spec is not null:
                Set(spec, "replicas", 1);
                Set(spec, "revisionHistoryLimit", 10);
                Set(spec, "progressDeadlineSeconds", 600);
                var strategy = Object(spec, "strategy");
                Set(strategy, "type", "RollingUpdate");
                if (Str(strategy, "type") == "RollingUpdate")
                {
                    var rolling = Object(strategy, "rollingUpdate");
                    Set(rolling, "maxUnavailable", "25%");
                    Set(rolling, "maxSurge", "25%");
                }
                PodTemplate(spec["template"], job: false);
                break;
            case ("apps", "replicasets") when spec is not null:
                Set(spec, "replicas", 1);
                PodTemplate(spec["template"], job: false);
                break;
            case ("apps", "statefulsets") when spec is not null:
                Set(spec, "replicas", 1);
                Set(spec, "podManagementPolicy", "OrderedReady");
                Set(spec, "revisionHistoryLimit", 10);
                var update = Object(spec, "updateStrategy");
                Set(update, "type", "RollingUpdate");
                if (Str(update, "type") == "RollingUpdate")
                {
                    Set(Object(update, "rollingUpdate"), "partition", 0);
                }
                var retention = Object(spec, "persistentVolumeClaimRetentionPolicy");
                Set(retention, "whenDeleted", "Retain");
                Set(retention, "whenScaled", "Retain");
                foreach (var claim in (spec["volumeClaimTemplates"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    ClaimSpec(claim["spec"] as JsonObject);
                }
                PodTemplate(spec["template"], job: false);
                break;
            case ("apps", "daemonsets") when spec is not null:
                Set(spec, "revisionHistoryLimit", 10);
                var dsUpdate = Object(spec, "updateStrategy");
                Set(dsUpdate, "type", "RollingUpdate");
                if (Str(dsUpdate, "type") == "RollingUpdate")
                {
                    var rolling = Object(dsUpdate, "rollingUpdate");
                    Set(rolling, "maxUnavailable", 1);
                    Set(rolling, "maxSurge", 0);
                }
                PodTemplate(spec["template"], job: false);
                break;
            case ("batch", "jobs") when spec is not null:
                JobSpec(spec);
                break;
            case ("batch", "cronjobs") when spec is not null:
                Set(spec, "concurrencyPolicy", "Allow");
                Set(spec, "suspend", false);
                Set(spec, "successfulJobsHistoryLimit", 3);
                Set(spec, "failedJobsHistoryLimit", 1);
                PodTemplate(spec["jobTemplate"]?["spec"]?["template"], job: true);
                break;
            case ("", "pods") when spec is not null:
                PodSpec(spec, job: false);
                Set(spec, "enableServiceLinks", true);
                Set(spec, "preemptionPolicy", "PreemptLowerPriority");
                Set(spec, "priority", 0);
                break;
            case ("", "services") when spec is not null:
                ServiceSpec(spec);
                break;
            case ("", "persistentvolumeclaims") when spec is not null:
                ClaimSpec(spec);
                break;
            case ("", "secrets"):
                Set(obj, "type", "Opaque");
                break;
            case ("networking.k8s.io", "networkpolicies") when spec is not null:
                if (spec["policyTypes"] is null)
                {
                    var types = new JsonArray("Ingress");
                    if (spec["egress"] is JsonArray { Count: > 0 })
                    {
                        types.Add("Egress");
                    }
                    spec["policyTypes"] = types;
                }
                foreach (var rule in (spec["ingress"] as JsonArray ?? []).Concat(spec["egress"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    foreach (var port in (rule["ports"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        Set(port, "protocol", "TCP");
                    }
                }
                break;
            case ("autoscaling", "horizontalpodautoscalers") when spec is not null:
                Set(spec, "minReplicas", 1);
                if (spec["metrics"] is not JsonArray { Count: > 0 })
                {
                    spec["metrics"] = JsonNode.Parse("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""");
                }
                break;
        }
    }

    /// <summary>What a registry sets when an object is created: a Job's selector and pod labels, a claim's phase, a Service's addresses.</summary>
    public static void OnCreate(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
        {
            return;
        }
        var uid = obj["metadata"]?["uid"]?.GetValue<string>() ?? "";
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        switch (type.Group, type.Plural)
        {
            case ("batch", "jobs") when obj["spec"] is JsonObject spec && spec["manualSelector"]?.GetValue<bool>() != true:
                // The Job controller's labels: the selector is the Job's uid, so that no other Job's pods match.
                spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
                var labels = Object(Object(Object(spec, "template"), "metadata"), "labels");
                labels["batch.kubernetes.io/controller-uid"] = uid;
                labels["batch.kubernetes.io/job-name"] = name;
                labels["controller-uid"] = uid;
                labels["job-name"] = name;
                break;
            case ("", "persistentvolumeclaims"):
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("", "services") when obj["spec"] is JsonObject spec:
                AllocateAddresses(spec, uid);
                break;
        }
    }

    private static void JobSpec(JsonObject spec)
    {
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }
        Set(spec, "parallelism", 1);
        Set(spec, "backoffLimit", 6);
        Set(spec, "completionMode", "NonIndexed");
        Set(spec, "suspend", false);
        Set(spec, "podReplacementPolicy", "TerminatingOrFailed");
        PodTemplate(spec["template"], job: true);
    }

    private static void PodTemplate(JsonNode? template, bool job)
    {
        if (template is JsonObject t)
        {
            Object(t, "metadata");
            if (Object(t, "spec") is var spec)
            {
                PodSpec(spec, job);
            }
        }
    }

    private static void PodSpec(JsonObject spec, bool job)
    {
        if (job)
        {
            var policy = Str(spec, "restartPolicy");
            if (policy is not ("OnFailure" or "Never"))
            {
                throw Errors.Invalid("Job", "batch", "", [new StatusCause("FieldValueNotSupported",
                    $"Unsupported value: \"{(policy.Length == 0 ? "Always" : policy)}\": supported values: \"OnFailure\", \"Never\"", "spec.template.spec.restartPolicy")]);
            }
        }
        Set(spec, "restartPolicy", "Always");
        Set(spec, "dnsPolicy", "ClusterFirst");
        Set(spec, "schedulerName", "default-scheduler");
        Set(spec, "terminationGracePeriodSeconds", 30);
        if (spec["securityContext"] is null)
        {
            spec["securityContext"] = new JsonObject();
        }
        foreach (var container in (spec["containers"] as JsonArray ?? []).Concat(spec["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Container(container);
        }
        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (volume["configMap"] is JsonObject configMap)
            {
                Set(configMap, "defaultMode", 420);
            }
            if (volume["secret"] is JsonObject secret)
            {
                Set(secret, "defaultMode", 420);
            }
        }
    }

    private static void Container(JsonObject container)
    {
        Set(container, "terminationMessagePath", "/dev/termination-log");
        Set(container, "terminationMessagePolicy", "File");
        Set(container, "imagePullPolicy", PullPolicy(Str(container, "image")));
        if (container["resources"] is null)
        {
            container["resources"] = new JsonObject();
        }
        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Set(port, "protocol", "TCP");
        }
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject p)
            {
                Set(p, "timeoutSeconds", 1);
                Set(p, "periodSeconds", 10);
                Set(p, "successThreshold", 1);
                Set(p, "failureThreshold", 3);
                if (p["httpGet"] is JsonObject http)
                {
                    Set(http, "scheme", "HTTP");
                }
            }
        }
        foreach (var variable in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (variable["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                Set(fieldRef, "apiVersion", "v1");
            }
        }
    }

    /// <summary>Always for <c>:latest</c> or no tag, IfNotPresent otherwise (a digest counts as a tag).</summary>
    private static string PullPolicy(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        var tag = colon > lastSlash ? image[(colon + 1)..] : "";
        return tag.Length == 0 || tag == "latest" ? "Always" : "IfNotPresent";
    }

    private static void ServiceSpec(JsonObject spec)
    {
        Set(spec, "type", "ClusterIP");
        var type = Str(spec, "type");
        Set(spec, "sessionAffinity", "None");
        if (type != "ExternalName")
        {
            Set(spec, "internalTrafficPolicy", "Cluster");
            if (spec["ipFamilies"] is null)
            {
                spec["ipFamilies"] = new JsonArray("IPv4");
            }
            Set(spec, "ipFamilyPolicy", "SingleStack");
        }
        if (type is "NodePort" or "LoadBalancer")
        {
            Set(spec, "externalTrafficPolicy", "Cluster");
        }
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Set(port, "protocol", "TCP");
            if (port["targetPort"] is null && port["port"] is { } p)
            {
                port["targetPort"] = p.DeepClone();
            }
        }
    }

    private static void AllocateAddresses(JsonObject spec, string uid)
    {
        var type = Str(spec, "type");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(uid));
        if (type != "ExternalName" && spec["clusterIP"] is null)
        {
            // 10.96.0.0/16 here (a cluster's service range is usually 10.96.0.0/12): from the uid, so stable and rarely shared.
            var ip = $"10.96.{hash[0]}.{Math.Max((int)hash[1], 1)}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
        if (type is "NodePort" or "LoadBalancer")
        {
            var i = 2;
            foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (port["nodePort"] is null)
                {
                    port["nodePort"] = 30000 + (((hash[i % hash.Length] << 8) | hash[(i + 1) % hash.Length]) % 2768);
                    i += 2;
                }
            }
        }
    }

    private static void ClaimSpec(JsonObject? spec)
    {
        if (spec is not null)
        {
            Set(spec, "volumeMode", "Filesystem");
        }
    }

    private static JsonObject Object(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static void Set(JsonObject o, string key, int value)
    {
        if (o[key] is null)
        {
            o[key] = value;
        }
    }

    private static void Set(JsonObject o, string key, bool value)
    {
        if (o[key] is null)
        {
            o[key] = value;
        }
    }

    private static void Set(JsonObject o, string key, string value)
    {
        if (o[key] is null || (o[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0))
        {
            o[key] = value;
        }
    }
}

using System.Text.Json.Nodes;
using Sluice.Manifests;

namespace Sluice.Cli.Tests.Support;

/// <summary>Fixed objects for golden tests: a rollout half-way, one succeeded, one failed, and their Events.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static JsonObject RolloutParked() => Parse("""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata: {name: shop-up, namespace: default, generation: 2, creationTimestamp: "2026-11-26T11:55:00Z"}
        spec:
          sourceAppRevisionName: shop-v1
          targetAppRevisionName: shop-v2
          componentList: [web]
          rolloutPlan:
            batchPartition: 1
            rolloutBatches: [{replicas: 1}, {replicas: 2}, {replicas: "40%"}]
        status:
          rollingState: rollingInBatches
          batchRollingState: batchReady
          currentBatch: 1
          upgradedReplicas: 3
          upgradedReadyReplicas: 3
          rolloutOriginalSize: 5
          rolloutTargetSize: 5
          LastSourceAppRevision: shop-v1
          lastTargetAppRevision: shop-v2
          observedGeneration: 2
          conditions:
            - {type: Progressing, status: "True", reason: BatchReady, message: "batch 2: batchReady", lastTransitionTime: "2026-11-26T11:58:30Z"}
        """);

    public static JsonObject RolloutSucceeded() => Parse("""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata: {name: api-up, namespace: default, creationTimestamp: "2026-11-24T09:00:00Z"}
        spec:
          targetAppRevisionName: api-v1
          rolloutPlan: {rolloutBatches: [{replicas: "50%"}, {replicas: "50%"}]}
        status: {rollingState: rolloutSucceed, batchRollingState: batchReady, currentBatch: 1, upgradedReplicas: 4, upgradedReadyReplicas: 4,
                 rolloutOriginalSize: 0, rolloutTargetSize: 4, LastSourceAppRevision: "", lastTargetAppRevision: api-v1}
        """);

    public static JsonObject RolloutFailed() => Parse("""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata: {name: db-up, namespace: data, creationTimestamp: "2026-11-26T10:00:00Z"}
        spec:
          sourceAppRevisionName: db-v3
          targetAppRevisionName: db-v4
          rolloutPlan: {rolloutBatches: [{replicas: 1}, {replicas: 2}]}
        status:
          rollingState: rolloutFailed
          batchRollingState: batchVerifyFailed
          currentBatch: 0
          rolloutOriginalSize: 3
          rolloutTargetSize: 3
          LastSourceAppRevision: db-v3
          lastTargetAppRevision: db-v4
          conditions:
            - {type: RolloutFailed, status: "True", reason: Aborted, message: "aborted; rolled back", lastTransitionTime: "2026-11-26T10:05:00Z"}
        """);

    public static IReadOnlyList<JsonObject> ParkedEvents() =>
    [
        Event("e2", "Normal", "BatchAvailable", "batch 2/3: 3 of 5 pods on shop-v2, 3 ready", "2026-11-26T11:58:30Z"),
        Event("e1", "Normal", "BatchAvailable", "batch 1/3: 1 of 5 pods on shop-v2, 1 ready", "2026-11-26T11:57:00Z"),
    ];

    private static JsonObject Event(string name, string type, string reason, string message, string at) => Parse($$"""
        {"metadata": {"name": "{{name}}"}, "involvedObject": {"kind": "AppRollout", "name": "shop-up"}, "type": "{{type}}", "reason": "{{reason}}",
         "message": "{{message}}", "lastTimestamp": "{{at}}"}
        """);

    private static JsonObject Parse(string yaml) => (JsonObject)YamlJson.Parse(yaml)!;
}

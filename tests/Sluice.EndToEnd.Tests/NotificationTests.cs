using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using static Sluice.EndToEnd.Tests.Support.Manifests;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Notifications as a user sets them up: services in the ConfigMap sluice-notifications (secrets from
/// sluice-notifications-secret) of sluice-system, subscriptions as annotations on the AppRollout, local receivers
/// standing in for a webhook, Slack's API and a Teams incoming webhook.
/// </summary>
public class NotificationTests
{
    private const string Ns = "sluice-system";

    private static string Config(string url, string extra = "") => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: sluice-notifications
        data:
          service.webhook.hook: |
            url: {{url}}hook
          service.slack: |
            token: $slack-token
            apiURL: {{url}}slack/api
          service.teams: |
            recipientUrls:
              ops: {{url}}teams/ops
        {{extra}}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: sluice-notifications-secret
        data:
          slack-token: {{Convert.ToBase64String("xoxb-test"u8)}}
        """;

    /// <summary>The rollout YAML with annotations added to its metadata.</summary>
    private static string Subscribed(string rollout, params string[] subscriptions) =>
        rollout.Replace("metadata:\n", "metadata:\n  annotations:\n" + string.Concat(subscriptions.Select(s => $"    notifications.sluice.dev/subscribe.{s}\n")), StringComparison.Ordinal);

    private static List<string> Triggers(WebhookReceiver receiver, string path) =>
        receiver.Calls.Where(c => c.Path == path).Select(c => c.Body["trigger"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Triggers_ARolloutPausedResumedAndSucceeded_ReachEveryServiceOnceInOrder()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var receiver = new WebhookReceiver();
        await cluster.ApplyYamlAsync(Ns, Config(receiver.Url));
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:4.0.6", replicas: 3));

        // When a rollout that subscribes to every trigger through the webhook, and to its end through Slack and Teams,
        // pauses at its second batch and is resumed
        await cluster.ApplyYamlAsync(Subscribed(Rollout("shop-up", null, "shop-v1", "1,2", "    paused: true\n"),
            "on-started.hook: \"\"", "on-batch-finished.hook: \"\"", "on-paused.hook: \"\"", "on-succeeded.hook: \"\"", "on-failed.hook: \"\"",
            "on-succeeded.slack: \"#deploys\"", "on-succeeded.teams: ops"));
        await Eventually.WaitUntil(() => Triggers(receiver, "hook").Contains("on-paused"), TimeSpan.FromSeconds(60), "the paused notification");
        await cluster.Kubectl.RunAsync("patch", "approllout", "shop-up", "--type", "merge", "-p", """{"spec":{"rolloutPlan":{"paused":false}}}""");
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");

        // Then the webhook got started, paused, each batch, succeeded: each once, in order
        await Eventually.WaitUntil(() => Triggers(receiver, "hook").Contains("on-succeeded"), TimeSpan.FromSeconds(30), "the succeeded notification");
        Triggers(receiver, "hook").ShouldBe(["on-started", "on-paused", "on-batch-finished", "on-batch-finished", "on-succeeded"]);
        var batches = receiver.Calls.Where(c => c.Path == "hook" && c.Body["trigger"]!.GetValue<string>() == "on-batch-finished").Select(c => c.Body["message"]!.GetValue<string>());
        batches.ShouldBe(["AppRollout default/shop-up: batch 1 of 2 finished (shop-v1)", "AppRollout default/shop-up: batch 2 of 2 finished (shop-v1)"]);

        // And Slack's chat.postMessage got the channel with the token from the Secret, Teams a MessageCard
        await Eventually.WaitUntil(() => receiver.Calls.Any(c => c.Path == "teams/ops") && receiver.Calls.Any(c => c.Path == "slack/api/chat.postMessage"),
            TimeSpan.FromSeconds(30), "Slack and Teams");
        var slack = receiver.Calls.Single(c => c.Path == "slack/api/chat.postMessage");
        slack.Authorization.ShouldBe("Bearer xoxb-test");
        slack.Body["channel"]!.GetValue<string>().ShouldBe("#deploys");
        slack.Body["text"]!.GetValue<string>().ShouldBe("AppRollout default/shop-up succeeded: shop-v1");
        var teams = receiver.Calls.Single(c => c.Path == "teams/ops");
        teams.Body["@type"]!.GetValue<string>().ShouldBe("MessageCard");
        teams.Body["title"]!.GetValue<string>().ShouldBe("AppRollout default/shop-up: on-succeeded");

        // And what was delivered is recorded on the rollout, so no controller sends it again (the pause, over since, is
        // no longer shown by the status, so its entry is dropped: 4 webhook notifications, Slack, Teams)
        await Eventually.WaitUntilAsync(async () => (await cluster.RolloutAsync("shop-up"))["metadata"]?["annotations"]?["notifications.sluice.dev/delivered"]?.GetValue<string>().Split(',').Length == 6,
            TimeSpan.FromSeconds(30), () => "six deliveries recorded on the rollout");
        receiver.Calls.Count.ShouldBe(7);
    }

    [Fact]
    public async Task Triggers_AFailedAndAnAbortedRollout_ReachTheirReceivers()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var receiver = new WebhookReceiver();
        await cluster.ApplyYamlAsync(Ns, Config(receiver.Url));
        await cluster.ApplyYamlAsync(App("broken", "stefanprodan/podinfo:4.0.6", replicas: 2, fault: "never-ready"));
        await cluster.ApplyYamlAsync("held", App("held", "stefanprodan/podinfo:4.0.6", replicas: 2));

        // When one rollout fails at its deadline and another, paused, is aborted
        await cluster.ApplyYamlAsync(Subscribed(Rollout("broken-up", null, "broken-v1", "1,1", "    progressDeadlineSeconds: 2\n"),
            "on-failed.hook: \"\"", "on-aborted.hook: \"\""));
        await cluster.ApplyYamlAsync("held", Subscribed(Rollout("held-up", null, "held-v1", "1,1", "    paused: true\n"), "on-failed.hook: \"\"", "on-aborted.hook: \"\""));
        await Eventually.WaitUntilAsync(async () => (await cluster.GetAsync(ResourceKind.AppRollout, "held-up", "held"))?["status"]?["conditions"]?.ToJsonString().Contains("\"BatchPaused\"", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(60), () => "held-up paused");
        await cluster.Kubectl.RunAsync("annotate", "-n", "held", "approllout", "held-up", "rollout.sluice.dev/abort=true");
        await cluster.WaitForStateAsync("rolloutFailed", "broken-up");
        await cluster.WaitForStateAsync("rolloutFailed", "held-up", ns: "held");

        // Then the failed one notified on-failed only, the aborted one on-aborted only
        await Eventually.WaitUntil(() => receiver.Calls.Count(c => c.Path == "hook") >= 2, TimeSpan.FromSeconds(30), "two notifications");
        var byRollout = receiver.Calls.Where(c => c.Path == "hook").GroupBy(c => c.Body["rollout"]!["name"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.Select(c => c.Body["trigger"]!.GetValue<string>()).ToList());
        byRollout["broken-up"].ShouldBe(["on-failed"]);
        byRollout["held-up"].ShouldBe(["on-aborted"]);
    }

    [Fact]
    public async Task Triggers_ABatchFailingItsAnalysis_NotifiesAnalysisFailedAndFailedOnce()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var receiver = new WebhookReceiver { Reply = path => path == "orders" ? """{"perMinute": 3}""" : null };
        await cluster.ApplyYamlAsync(Ns, Config(receiver.Url));
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:4.0.6", replicas: 2));
        await cluster.ApplyYamlAsync(Rollout("shop-up", null, "shop-v1", "2"));
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:5.0.2", replicas: 2));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2") is not null, what: () => "revision shop-v2");

        // When v2's first batch is measured by a web metric that answers 3 orders a minute where more than 10 pass
        var measured = $"    canaryMetric:\n      - name: orders\n        interval: 1s\n        count: 1\n        provider: {{web: {{url: \"{receiver.Url}orders\", jsonPath: $.perMinute}}}}\n        successCondition: result > 10\n";
        await cluster.ApplyYamlAsync(Subscribed(Rollout("shop-up", "shop-v1", "shop-v2", "1,1", measured), "on-analysis-failed.hook: \"\"", "on-failed.hook: \"\""));

        // Then the rollout fails on its analysis, and the hook hears both triggers once, naming the analysis
        var failed = await cluster.WaitForStateAsync("rolloutFailed", "shop-up", target: "shop-v2");
        (failed["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == "RolloutFailed")["reason"]!.GetValue<string>().ShouldBe("AnalysisFailed");
        await Eventually.WaitUntil(() => Triggers(receiver, "hook").Count >= 2, TimeSpan.FromSeconds(30), "two notifications");
        Triggers(receiver, "hook").Order(StringComparer.Ordinal).ShouldBe(["on-analysis-failed", "on-failed"]);
        var analysis = receiver.Calls.Single(c => c.Path == "hook" && c.Body["trigger"]!.GetValue<string>() == "on-analysis-failed");
        analysis.Body["message"]!.GetValue<string>().ShouldStartWith("AppRollout default/shop-up: analysis failed (shop-v1 to shop-v2): ");
    }

    [Fact]
    public async Task Delivery_ReceiverDown_NeitherSlowsNorFailsTheRolloutAndArrivesOnceTheReceiverIsUp()
    {
        await using var cluster = await TestCluster.StartAsync();
        var reserved = new WebhookReceiver();
        var url = reserved.Url;
        reserved.Dispose();
        await cluster.ApplyYamlAsync(Ns, Config(url));
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:4.0.6", replicas: 2));

        // When the rollout's receiver is down all along the rollout
        await cluster.ApplyYamlAsync(Subscribed(Rollout("shop-up", null, "shop-v1", "1,1"), "on-started.hook: \"\"", "on-succeeded.hook: \"\""));

        // Then the rollout succeeds all the same, and says why the notification waits
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");
        await Eventually.WaitUntilAsync(async () => (await Events(cluster, "shop-up")).Any(e => e["reason"]?.GetValue<string>() == "NotificationFailed"),
            TimeSpan.FromSeconds(30), () => "a NotificationFailed event");

        // And once the receiver is up, both arrive, in order
        using var receiver = new WebhookReceiver(new Uri(url).Port);
        await Eventually.WaitUntil(() => Triggers(receiver, "hook").Count >= 2, TimeSpan.FromSeconds(90), "the notifications after the receiver came up");
        Triggers(receiver, "hook").Distinct().ShouldBe(["on-started", "on-succeeded"]);
    }

    [Fact]
    public async Task Config_UnknownTypeAndMissingSecret_GiveAnEventAndAConditionWhileTheRestWorks()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var receiver = new WebhookReceiver();
        await cluster.ApplyYamlAsync(Ns, $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: sluice-notifications
            data:
              service.pagerduty: |
                serviceKey: abc
              service.webhook.audit: |
                url: {{receiver.Url}}audit
                headers:
                  Authorization: $audit-token
              service.webhook.hook: |
                url: {{receiver.Url}}hook
            """);
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:4.0.6", replicas: 2));

        // When a rollout subscribes to an unknown service type, to a service whose secret is missing, and to a good one
        await cluster.ApplyYamlAsync(Subscribed(Rollout("shop-up", null, "shop-v1", "1,1"),
            "on-succeeded.pagerduty: ops", "on-succeeded.audit: \"\"", "on-succeeded.hook: \"\""));

        // Then the rollout succeeds and the good service delivers
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");
        await Eventually.WaitUntil(() => Triggers(receiver, "hook").Count == 1, TimeSpan.FromSeconds(30), "the good service's notification");
        receiver.Calls.ShouldNotContain(c => c.Path == "audit");

        // And the rollout's condition names both problems, with Warning Events on the rollout and the ConfigMap
        JsonObject? condition = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            condition = ((await cluster.RolloutAsync("shop-up"))["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(c => c["type"]!.GetValue<string>() == "NotificationsConfigured");
            return condition is not null;
        }, TimeSpan.FromSeconds(30), () => "the NotificationsConfigured condition");
        condition!["status"]!.GetValue<string>().ShouldBe("False");
        condition["reason"]!.GetValue<string>().ShouldBe("InvalidNotificationConfig");
        var message = condition["message"]!.GetValue<string>();
        message.ShouldContain("ConfigMap sluice-system/sluice-notifications key service.pagerduty: unknown service type \"pagerduty\" (known: webhook, slack, teams)");
        message.ShouldContain("key service.webhook.audit: headers.Authorization refers to $audit-token, but Secret sluice-system/sluice-notifications-secret does not exist");
        await Eventually.WaitUntilAsync(async () => (await Events(cluster, "shop-up")).Count(e => e["reason"]?.GetValue<string>() == "InvalidNotificationConfig") == 2
            && (await Events(cluster, "sluice-notifications", Ns)).Count(e => e["reason"]?.GetValue<string>() == "InvalidNotificationConfig") == 2,
            TimeSpan.FromSeconds(30), () => "two Warning events on the rollout and two on the ConfigMap");

        // And once the Secret exists, the condition clears and the audit service delivers
        await cluster.ApplyYamlAsync(Ns, $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: sluice-notifications-secret\ndata:\n  audit-token: {Convert.ToBase64String("Bearer a"u8)}\n");
        await Eventually.WaitUntil(() => receiver.Calls.Any(c => c.Path == "audit" && c.Authorization == "Bearer a"), TimeSpan.FromSeconds(30), "the audit notification");
    }

    private static async Task<List<JsonObject>> Events(TestCluster cluster, string involved, string ns = "default")
    {
        var list = await cluster.Api.ListAsync(ResourceKind.Event, ns, null, CancellationToken.None);
        return (list["items"] as JsonArray ?? []).OfType<JsonObject>().Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == involved).ToList();
    }
}

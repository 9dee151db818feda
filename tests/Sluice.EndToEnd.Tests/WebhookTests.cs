using System.Security.Cryptography;
using System.Text;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using static Sluice.EndToEnd.Tests.Support.Manifests;

namespace Sluice.EndToEnd.Tests;

/// <summary>Rollout webhooks against a local receiver: order, body, signature, failure policies, timeouts.</summary>
public class WebhookTests
{
    private static string Hooks(string url, params (string Type, string Name, string Extra)[] hooks) =>
        "    rolloutWebhooks:\n" + string.Concat(hooks.Select(h =>
            $"      - type: {h.Type}\n        name: {h.Name}\n        url: {url}{h.Name}\n        metadata:\n          team: shop\n{h.Extra}"));

    [Fact]
    public async Task Webhooks_EveryGate_AreCalledInOrderWithTheDocumentedSignedBody()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var receiver = new WebhookReceiver();
        await cluster.ApplyYamlAsync("apiVersion: v1\nkind: Secret\nmetadata:\n  name: hook-key\ndata:\n  key: " + Convert.ToBase64String("s3cret"u8) + "\n");
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:4.0.6", replicas: 2));

        // When a rollout has a webhook at every gate, the initialize one signed with a Secret's key
        await cluster.ApplyYamlAsync(Rollout("shop-up", null, "shop-v1", "1,1", Hooks(receiver.Url,
            ("initialize-rollout", "init", "        secretRef:\n          name: hook-key\n          key: key\n"),
            ("pre-batch-rollout", "pre", ""),
            ("post-batch-rollout", "post", ""),
            ("finalize-rollout", "final", ""))));
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");

        // Then the receiver saw them in order, with {name, namespace, phase, metadata}
        var calls = receiver.Calls.ToList();
        // (at least once: a reconcile retried after a conflict calls the gate it stands at again, never a later one)
        InOrderWithRepeats(calls.Select(c => $"{c.Path}@{c.Body["phase"]}").ToList(),
            ["init@initializing", "pre@rollingInBatches", "post@rollingInBatches", "pre@rollingInBatches", "post@rollingInBatches", "final@finalising"]);
        calls.ShouldAllBe(c => c.Body["name"]!.GetValue<string>() == "shop-up" && c.Body["namespace"]!.GetValue<string>() == "default"
            && c.Body["metadata"]!["team"]!.GetValue<string>() == "shop");
        var init = calls[0];
        var body = Encoding.UTF8.GetBytes(init.Body.ToJsonString());
        init.Signature.ShouldBe("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8, body)));
        calls[1].Signature.ShouldBeNull();
    }

    /// <summary>Every expected call happens, in order; a call may repeat the one just made (a retried reconcile), nothing else.</summary>
    private static void InOrderWithRepeats(IReadOnlyList<string> calls, IReadOnlyList<string> expected)
    {
        var next = 0;
        foreach (var call in calls)
        {
            if (next < expected.Count && call == expected[next])
            {
                next++;
                continue;
            }

            (next > 0 && expected.Take(next).Contains(call)).ShouldBeTrue($"unexpected call {call} in [{string.Join(", ", calls)}]");
        }

        next.ShouldBe(expected.Count, $"calls [{string.Join(", ", calls)}] miss some of [{string.Join(", ", expected)}]");
    }

    [Fact]
    public async Task Webhooks_Answer500WithFailurePolicyFail_FailsTheRollout()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var receiver = new WebhookReceiver { Answer = _ => 500 };
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:4.0.6", replicas: 2));

        await cluster.ApplyYamlAsync(Rollout("shop-up", null, "shop-v1", "1,1", Hooks(receiver.Url, ("post-batch-rollout", "check", "        failurePolicy: Fail\n"))));

        var failed = await cluster.WaitForStateAsync("rolloutFailed", "shop-up");
        var message = failed.ToJsonString();
        message.ShouldContain("WebhookFailed");
        message.ShouldContain("webhook check: answered 500, want 200-202");
    }

    [Fact]
    public async Task Webhooks_ReceiverNeverAnswers_TimesOutAndIsRetriedWhileTheRolloutWaits()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var receiver = new WebhookReceiver { Answer = _ => null };
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:4.0.6", replicas: 2));

        await cluster.ApplyYamlAsync(Rollout("shop-up", null, "shop-v1", "1,1", Hooks(receiver.Url, ("pre-batch-rollout", "slow", "        timeoutSeconds: 1\n"))));

        // Then it is called again and again, and the rollout waits in batch 1 saying why
        await Eventually.WaitUntil(() => receiver.Calls.Count >= 2, TimeSpan.FromSeconds(30), "a retried webhook");
        var waiting = await cluster.RolloutAsync("shop-up");
        waiting["status"]!["batchRollingState"]!.GetValue<string>().ShouldBe("batchInitializing");
        waiting["status"]!["upgradedReplicas"]!.GetValue<int>().ShouldBe(0);
        waiting.ToJsonString().ShouldContain("webhook slow: no answer within 1s; retrying");

        // When the receiver recovers, the rollout goes on
        receiver.Answer = _ => 200;
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");
    }
}

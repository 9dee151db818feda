using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Metrics;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Rollouts;

/// <summary>
/// Calls a gate's webhooks in order with <c>{"name", "namespace", "phase", "metadata"}</c> and turns the
/// answers into one <see cref="GateResult"/> through each webhook's failure policy. With a secretRef the
/// body is signed: header <c>X-Sluice-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.
/// </summary>
public sealed class WebhookRunner(HttpClient http, IKubeApi api)
{
    public const string SignatureHeader = "X-Sluice-Signature";

    public async Task<GateResult> RunAsync(WebhookGate gate, AppRollout rollout, CancellationToken cancellationToken)
    {
        var passed = new List<string>();
        foreach (var hook in gate.Webhooks)
        {
            var (outcome, kind) = await CallAsync(hook, gate, rollout, cancellationToken);
            SluiceMetrics.WebhookCalled(ApiEnumJsonConverter<RollingState>.NameOf(gate.Phase), kind);
            if (outcome is null)
            {
                passed.Add(hook.Name ?? hook.Url ?? "webhook");
                continue;
            }

            switch (hook.FailurePolicy ?? WebhookFailurePolicy.Retry)
            {
                case WebhookFailurePolicy.Ignore:
                    passed.Add($"{hook.Name} (ignored: {outcome})");
                    continue;
                case WebhookFailurePolicy.Fail:
                    return GateResult.Failed($"webhook {hook.Name}: {outcome}");
                default:
                    return GateResult.Waiting($"webhook {hook.Name}: {outcome}; retrying");
            }
        }

        return GateResult.Passed(string.Join(", ", passed) + " passed");
    }

    /// <summary>Why is null when the call passed, else why not; Outcome names it for metrics (passed, rejected, timeout, error, invalid).</summary>
    private async Task<(string? Why, string Outcome)> CallAsync(RolloutWebhook hook, WebhookGate gate, AppRollout rollout, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return ($"url \"{hook.Url}\" is not an absolute http(s) URL", "invalid");
        }

        var body = new JsonObject
        {
            ["name"] = rollout.Metadata.Name,
            ["namespace"] = rollout.Metadata.Namespace,
            ["phase"] = ApiEnumJsonConverter<RollingState>.NameOf(gate.Phase),
            ["metadata"] = new JsonObject((hook.Metadata ?? new Dictionary<string, string>()).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        }.ToJsonString();
        using var request = new HttpRequestMessage(new HttpMethod((hook.Method ?? WebhookMethod.POST).ToString()), url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (hook.SecretRef is { } secretRef)
        {
            var key = await SecretAsync(rollout.Metadata.Namespace ?? "default", secretRef, cancellationToken);
            if (key is null)
            {
                return ($"secret {secretRef.Name} has no key {secretRef.Key}", "invalid");
            }

            request.Headers.Add(SignatureHeader, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body))));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seconds = hook.TimeoutSeconds ?? RolloutWebhook.DefaultTimeoutSeconds;
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return hook.Passes(status)
                ? (null, "passed")
                : ($"answered {status}, want {(hook.ExpectedStatus is { Count: > 0 } e ? string.Join("/", e) : "200-202")}", "rejected");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ($"no answer within {seconds}s", "timeout");
        }
        catch (HttpRequestException e)
        {
            return ($"call failed: {e.Message}", "error");
        }
    }

    private async Task<byte[]?> SecretAsync(string ns, SecretKeyReference reference, CancellationToken cancellationToken)
    {
        var secret = await api.GetAsync(ResourceKind.Secret, ns, reference.Name, cancellationToken);
        return JsonPath.Get(secret, "data") is JsonObject data && data[reference.Key]?.GetValue<string>() is { } encoded
            ? Convert.FromBase64String(encoded)
            : null;
    }
}

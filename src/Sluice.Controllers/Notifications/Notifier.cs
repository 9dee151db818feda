using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Metrics;
using Sluice.Controllers.Observing;
using Sluice.Controllers.Rollouts;
using Sluice.Controllers.Runtime;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Notifications;

/// <summary>
/// Sends the notifications AppRollouts subscribe to (<see cref="Subscription"/>), beside the reconciler and never in
/// its way: it follows the rollout informer's events into its own work queue and workers, derives what is due from each
/// rollout's status (<see cref="NotificationTriggers"/>), sends what the rollout's <see cref="DeliveryLog"/> does not
/// list yet, and records each delivery there once its receiver accepted it. A receiver that fails or is down is tried
/// again with backoff (a Warning Event says so once); a service the ConfigMap cannot configure gives a Warning Event on
/// the rollout and on the ConfigMap and the condition <see cref="ConditionType"/>=False on the rollout, and the other
/// services still deliver.
/// </summary>
public sealed class Notifier
{
    public const string ConditionType = "NotificationsConfigured";

    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private readonly IKubeApi api;
    private readonly Informer rollouts;
    private readonly Informer configMaps;
    private readonly Informer secrets;
    private readonly EventRecorder recorder;
    private readonly HttpClient http;
    private readonly string ns;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly WorkQueue<ObjectKey> queue;

    /// <summary>Warnings already recorded (an Event per distinct problem, not per attempt).</summary>
    private readonly ConcurrentDictionary<string, byte> warned = new();

    public Notifier(IKubeApi api, Informer rollouts, EventRecorder recorder, HttpClient http, string ns, TimeProvider time, ILogger logger)
    {
        this.api = api;
        this.rollouts = rollouts;
        this.recorder = recorder;
        this.http = http;
        this.ns = ns;
        this.time = time;
        this.logger = logger;
        queue = new WorkQueue<ObjectKey>(time, maxDelay: TimeSpan.FromMinutes(1), name: "notifications");
        configMaps = new Informer(api, ResourceKinds.For("v1", "ConfigMap"), ns, time, logger);
        secrets = new Informer(api, ResourceKind.Secret, ns, time, logger);
        rollouts.Changed += e =>
        {
            if (e.Type != InformerEventType.Deleted && Subscribes(e.Object))
            {
                queue.Add(ObjectKey.Of(e.Object));
            }
        };
        configMaps.Changed += e => ConfigChanged(e, NotificationConfig.ConfigMapName);
        secrets.Changed += e => ConfigChanged(e, NotificationConfig.SecretName);
    }

    /// <summary>Watches the configuration and works the queue until cancelled (the rollout informer runs elsewhere).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var _ = queue;
        var informing = new[] { configMaps.RunAsync(cancellationToken), secrets.RunAsync(cancellationToken) };
        try
        {
            await Task.WhenAll(configMaps.Synced, secrets.Synced, rollouts.Synced).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await Task.WhenAll(informing);
            return;
        }

        EnqueueSubscribers();
        await Task.WhenAll(informing.Append(queue.RunAsync(2, NotifyAsync,
            (key, e) => logger.LogInformation("notifications of {Key}: {Error} (will retry)", key, e.Message), cancellationToken)));
    }

    /// <summary>The configuration as the caches hold it now.</summary>
    public NotificationConfig Config() =>
        NotificationConfig.Parse(configMaps.Get(ns, NotificationConfig.ConfigMapName), secrets.Get(ns, NotificationConfig.SecretName), ns);

    private static bool Subscribes(JsonObject rollout) =>
        JsonPath.Get(rollout, "metadata.annotations") is JsonObject annotations && annotations.Any(a => a.Key.StartsWith(Subscription.Prefix, StringComparison.Ordinal));

    private void ConfigChanged(InformerEvent e, string name)
    {
        if (JsonPath.String(e.Object, "metadata.name") == name && e.Type != InformerEventType.Resync && rollouts.IsSynced)
        {
            EnqueueSubscribers();
        }
    }

    private void EnqueueSubscribers()
    {
        foreach (var rollout in rollouts.List().Where(Subscribes))
        {
            queue.Add(ObjectKey.Of(rollout));
        }
    }

    private async Task<TimeSpan?> NotifyAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (rollouts.Get(key.Namespace, key.Name) is not { } stored || RolloutFacts.Of(stored) is not { } facts)
        {
            return null;
        }

        var rollout = SluiceJson.Deserialize<AppRollout>(stored);
        var (subscriptions, problems) = Subscription.Parse(rollout.Metadata.Annotations);
        var config = Config();
        var configProblems = new SortedSet<string>(problems, StringComparer.Ordinal);
        var usable = new List<(Subscription Subscription, NotificationService Service)>();
        foreach (var subscription in subscriptions)
        {
            if (Problem(subscription, config) is { } problem)
            {
                configProblems.Add(problem);
            }
            else
            {
                usable.Add((subscription, config.Services[subscription.Service]));
            }
        }

        var logged = DeliveryLog.Read(JsonPath.Annotation(stored, DeliveryLog.Annotation));
        var keep = new SortedSet<string>(StringComparer.Ordinal);
        string? failure = null;
        var due = from occurrence in NotificationTriggers.Occurrences(rollout)
                  from use in usable
                  where use.Subscription.Trigger == occurrence.Trigger
                  from recipient in use.Subscription.Recipients
                  select (occurrence, use.Service, recipient);
        foreach (var (occurrence, service, recipient) in due)
        {
            var entry = DeliveryLog.Entry(occurrence, service.Name, recipient);
            if (logged.Contains(entry) || keep.Contains(entry))
            {
                keep.Add(entry);
                continue;
            }

            failure = await SendAsync(service, recipient, occurrence, facts, cancellationToken);
            if (failure is not null)
            {
                Warn(stored, $"{entry}:{failure}", "NotificationFailed", failure);
                // Later occurrences wait for this one: receivers see them in order.
                break;
            }

            keep.Add(entry);
        }

        if (!keep.SetEquals(logged))
        {
            await RecordDeliveredAsync(key, keep, cancellationToken);
        }

        await ReportConfigurationAsync(key, configProblems, cancellationToken);
        return failure is null ? null : throw new InvalidOperationException(failure);
    }

    /// <summary>Why the subscription cannot be delivered with this configuration, or null.</summary>
    private string? Problem(Subscription subscription, NotificationConfig config)
    {
        var annotation = $"{Subscription.Prefix}{subscription.Trigger}.{subscription.Service}";
        if (!config.Services.TryGetValue(subscription.Service, out var service))
        {
            return config.Problems.TryGetValue(subscription.Service, out var why)
                ? why
                : $"{annotation}: no service \"{subscription.Service}\" in ConfigMap {ns}/{NotificationConfig.ConfigMapName} (want a key service.<type>.{subscription.Service} or service.{subscription.Service})";
        }

        return service.Type == "teams" && subscription.Recipients.FirstOrDefault(r => !service.RecipientUrls.ContainsKey(r)) is { } unknown
            ? $"{annotation}: teams service \"{service.Name}\" has no recipientUrls entry \"{unknown}\""
            : null;
    }

    /// <summary>Null when the receiver accepted it, else why not.</summary>
    private async Task<string?> SendAsync(NotificationService service, string recipient, Occurrence occurrence, RolloutFacts facts, CancellationToken cancellationToken)
    {
        using var request = NotificationRequests.Build(service, recipient, occurrence, facts);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        string? failure;
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            failure = !response.IsSuccessStatusCode
                ? $"{occurrence.Trigger} to {service.Type} service \"{service.Name}\": answered {(int)response.StatusCode}"
                // Slack answers 200 with {"ok": false, "error": ...} when it refuses a message.
                : service.Type == "slack" && SlackError(body) is { } error
                    ? $"{occurrence.Trigger} to slack service \"{service.Name}\" ({recipient}): {error}"
                    : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = $"{occurrence.Trigger} to {service.Type} service \"{service.Name}\": no answer within {SendTimeout.TotalSeconds}s";
        }
        catch (HttpRequestException e)
        {
            failure = $"{occurrence.Trigger} to {service.Type} service \"{service.Name}\": {e.Message}";
        }

        SluiceMetrics.Notified(occurrence.Trigger, service.Type, failure is null);
        if (failure is null)
        {
            logger.LogInformation("notified {Recipient} through {Service}: {Message}", recipient.Length == 0 ? service.Name : recipient, service.Name, occurrence.Message);
        }

        return failure;
    }

    private static string? SlackError(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject answer && answer["ok"]?.GetValue<bool>() == false ? answer["error"]?.ToString() ?? "ok: false" : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task RecordDeliveredAsync(ObjectKey key, IEnumerable<string> entries, CancellationToken cancellationToken)
    {
        var value = DeliveryLog.Write(entries);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [DeliveryLog.Annotation] = value.Length == 0 ? null : value } },
        };
        try
        {
            var written = await api.MergePatchAsync(ResourceKind.AppRollout, key.Namespace, key.Name, patch, null, cancellationToken);
            rollouts.Observe(written, created: false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    /// <summary>Sets the condition (and Events, once per problem) when the configuration a rollout needs is wrong; clears it once right.</summary>
    private async Task ReportConfigurationAsync(ObjectKey key, IReadOnlyCollection<string> problems, CancellationToken cancellationToken)
    {
        // A rollout without a status yet gets its condition once the reconciler has written one.
        var stored = rollouts.Get(key.Namespace, key.Name);
        if (stored is null || JsonPath.String(stored, "status.rollingState") is null)
        {
            if (stored is not null)
            {
                foreach (var problem in problems)
                {
                    Warn(stored, $"config:{problem}", "InvalidNotificationConfig", problem);
                }
            }

            return;
        }

        var conditions = JsonPath.Get(stored, "status.conditions") as JsonArray ?? [];
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == ConditionType);
        var message = string.Join("; ", problems);
        foreach (var problem in problems)
        {
            Warn(stored, $"config:{problem}", "InvalidNotificationConfig", problem);
            if (problem.Contains($"ConfigMap {ns}/{NotificationConfig.ConfigMapName} key", StringComparison.Ordinal)
                && configMaps.Get(ns, NotificationConfig.ConfigMapName) is { } configMap)
            {
                Warn(configMap, $"configmap:{problem}", "InvalidNotificationConfig", problem);
            }
        }

        var (status, reason) = problems.Count > 0 ? ("False", "InvalidNotificationConfig") : ("True", "Configured");
        if (problems.Count == 0 && existing is null
            || existing?["status"]?.GetValue<string>() == status && (problems.Count == 0 || existing["message"]?.GetValue<string>() == message))
        {
            return;
        }

        var update = stored.DeepClone().AsObject();
        var kept = conditions.OfType<JsonObject>().Where(c => c["type"]?.GetValue<string>() != ConditionType).Select(c => c.DeepClone()).ToList();
        kept.Add(new JsonObject
        {
            ["type"] = ConditionType,
            ["status"] = status,
            ["reason"] = reason,
            ["message"] = problems.Count > 0 ? message : "every subscribed service is configured",
            ["lastTransitionTime"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        });
        JsonPath.Set(update, "status.conditions", new JsonArray([.. kept]));
        try
        {
            var written = await api.ReplaceStatusAsync(ResourceKind.AppRollout, key.Namespace, update, cancellationToken);
            rollouts.Observe(written, created: false);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            // The reconciler wrote meanwhile: its watch event brings the rollout back here.
        }
    }

    private void Warn(JsonObject involved, string once, string reason, string message)
    {
        // Bounded: past this many, warnings start over (an Event may then be recorded again).
        if (warned.Count > 10_000)
        {
            warned.Clear();
        }

        if (warned.TryAdd($"{ObjectKey.Of(involved)}:{once}", 0))
        {
            recorder.Record(involved, RecordedEvent.Warn(reason, message));
        }
    }
}

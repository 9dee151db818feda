namespace Sluice.Controllers.Notifications;

/// <summary>
/// <c>notifications.sluice.dev/subscribe.&lt;trigger&gt;.&lt;service&gt;: &lt;recipients&gt;</c> on an AppRollout: send
/// <paramref name="Trigger"/>'s occurrences through the service named <paramref name="Service"/> to each recipient
/// (separated by ';' or ','; a webhook needs none, so its value may be empty).
/// </summary>
public sealed record Subscription(string Trigger, string Service, IReadOnlyList<string> Recipients)
{
    public const string Prefix = "notifications.sluice.dev/subscribe.";

    /// <summary>The subscriptions among <paramref name="annotations"/>, and one problem per annotation that is not one.</summary>
    public static (IReadOnlyList<Subscription> Subscriptions, IReadOnlyList<string> Problems) Parse(IReadOnlyDictionary<string, string>? annotations)
    {
        var subscriptions = new List<Subscription>();
        var problems = new List<string>();
        foreach (var (key, value) in annotations ?? new Dictionary<string, string>())
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key[Prefix.Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == rest.Length - 1)
            {
                problems.Add($"annotation {key}: want {Prefix}<trigger>.<service>");
                continue;
            }

            var trigger = rest[..dot];
            if (!NotificationTriggers.All.Contains(trigger))
            {
                problems.Add($"annotation {key}: unknown trigger \"{trigger}\" (known: {string.Join(", ", NotificationTriggers.All)})");
                continue;
            }

            var recipients = value.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            subscriptions.Add(new Subscription(trigger, rest[(dot + 1)..], recipients.Length == 0 ? [""] : recipients));
        }

        return (subscriptions, problems);
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Sluice.Controllers.Notifications;

/// <summary>
/// Which notifications of a rollout were delivered, kept on the rollout itself (annotation <see cref="Annotation"/>:
/// short hashes of occurrence, service and recipient), so any controller (a new leader too) knows what not to send
/// again. An entry is written only after the receiver accepted the notification: a crash in between sends it again
/// (at least once). Entries of occurrences the status no longer shows are dropped.
/// </summary>
public static class DeliveryLog
{
    public const string Annotation = "notifications.sluice.dev/delivered";

    public static string Entry(Occurrence occurrence, string service, string recipient) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{occurrence.Id}\n{service}\n{recipient}")))[..16];

    public static IReadOnlySet<string> Read(string? annotation) =>
        (annotation ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    public static string Write(IEnumerable<string> entries) => string.Join(',', entries.Order(StringComparer.Ordinal));
}

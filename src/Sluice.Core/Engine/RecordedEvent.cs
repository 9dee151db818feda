namespace Sluice.Core.Engine;

/// <summary>A Kubernetes Event to record on the rollout.</summary>
public sealed record RecordedEvent(bool Warning, string Reason, string Message)
{
    public static RecordedEvent Normal(string reason, string message) => new(false, reason, message);

    public static RecordedEvent Warn(string reason, string message) => new(true, reason, message);
}

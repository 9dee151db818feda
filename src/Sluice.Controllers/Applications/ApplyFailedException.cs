namespace Sluice.Controllers.Applications;

/// <summary>An Application's resource could not be applied: which object, why, and the server's answer.</summary>
public sealed class ApplyFailedException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}

namespace Sluice.ControlPlane.Auth;

/// <summary>The authorizer's answer: allowed or not, and why (the rule's binding when allowed).</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason)
{
    public static AuthorizationDecision Deny { get; } = new(false, "");
}

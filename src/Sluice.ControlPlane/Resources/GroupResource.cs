namespace Sluice.ControlPlane.Resources;

/// <summary>A resource's identity independent of version: group ("" for core) and plural name.</summary>
public sealed record GroupResource(string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}

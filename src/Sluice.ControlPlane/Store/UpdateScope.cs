namespace Sluice.ControlPlane.Store;

/// <summary>
/// Which part of an object a write may change. Main writes never change status (for kinds with a
/// status subresource); status writes change only status.
/// </summary>
public enum UpdateScope
{
    Main,
    Status,
}

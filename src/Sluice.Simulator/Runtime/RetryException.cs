namespace Sluice.Simulator.Runtime;

/// <summary>A reconcile lost a race (409 Conflict); the object was re-read and the key must run again.</summary>
internal sealed class RetryException : Exception
{
    public RetryException()
        : base("conflict: the object changed; reconcile again")
    {
    }

    public RetryException(string message)
        : base(message)
    {
    }

    public RetryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

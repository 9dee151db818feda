namespace Sluice.Dashboard;

/// <summary>The dashboard could not start: the address is not one, or the port is taken. The message says which.</summary>
public sealed class DashboardStartException(string message, Exception? inner = null) : Exception(message, inner);

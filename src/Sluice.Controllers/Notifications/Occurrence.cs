namespace Sluice.Controllers.Notifications;

/// <summary>
/// One time a rollout passed a trigger, as its status records it. <see cref="Id"/> is the same every time the status
/// is read (it is built from the status' own timestamps and indexes), so a delivery is recorded once and never repeated
/// for the same occurrence, and a new attempt (a retry, a new target) makes new ones.
/// </summary>
public sealed record Occurrence(string Trigger, string Id, DateTimeOffset At, string Message);

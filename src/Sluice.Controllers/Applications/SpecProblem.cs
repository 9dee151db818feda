namespace Sluice.Controllers.Applications;

/// <summary>Why an Application cannot be rendered: a reason (the condition's and the Event's) and a message naming the field.</summary>
public sealed record SpecProblem(string Reason, string Message);

namespace Sluice.Cli.Commands.Demo;

/// <summary>One act of <c>sluice demo</c>: what it shows, the examples it applies, and how its rollout must end.</summary>
/// <param name="Title">What the act shows, in a line.</param>
/// <param name="Files">Examples applied in order (paths under examples/).</param>
/// <param name="Target">The revision the act's rollout moves to.</param>
/// <param name="Expect">The rolling state it must end in: rolloutSucceed or rolloutFailed.</param>
/// <param name="Source">The revision it moves from (what traffic and pods go back to when it fails), or null.</param>
/// <param name="NeedsPrometheus">Its rollout measures metrics through Prometheus: skipped (with a word why) without one.</param>
/// <param name="MeasuresRecovery">A bad version stopped with traffic routed: the time from its first batch to traffic back on the source is measured and printed.</param>
internal sealed record DemoAct(string Title, string[] Files, string Target, string Expect, string? Source = null, bool NeedsPrometheus = false, bool MeasuresRecovery = false);

namespace Sluice.Cli.Commands.Demo;

/// <summary>
/// The acts of <c>sluice demo</c>, in order: the seed's walkthrough (v1 up in batches, v1 to v2 in place, a bad v3 that
/// never becomes ready), then traffic (v4 as a canary through an HTTPRoute at 10% and 50% while one pod of five runs it)
/// and analysis (a bad v5 answering 20% errors, stopped by its metrics). The acts that fail come back to a good revision,
/// so each next act starts from one; the act that needs Prometheus comes last, so skipping it renames no revision.
/// </summary>
internal static class DemoActs
{
    public static IReadOnlyList<DemoAct> All { get; } =
    [
        new("v1 (podinfo 4.0.6) comes up from nothing in batches of 10%, 40%, 50% of 5 pods",
            ["seed/01-application-v1.yaml", "seed/02-rollout-to-v1.yaml"], "test-rolling-v1", "rolloutSucceed"),
        new("v1 -> v2 (podinfo 5.0.2), in place, batches of 1, 2, 2 pods",
            ["seed/03-application-v2.yaml", "seed/04-rollout-v1-to-v2.yaml"], "test-rolling-v2", "rolloutSucceed", "test-rolling-v1"),
        new("v2 -> a bad v3 whose pods never become ready: it fails at its deadline and rolls back to v2",
            ["demo/05-application-v3-bad.yaml", "demo/06-rollout-v2-to-v3.yaml"], "test-rolling-v3", "rolloutFailed", "test-rolling-v2"),
        new("v2 -> v4 as a canary through an HTTPRoute: 10%, then 50% of the requests while its pods stay at 1 of 5, then all",
            ["demo/07-routing.yaml", "demo/08-application-v4.yaml", "demo/09-rollout-v2-to-v4-canary.yaml"], "test-rolling-v4", "rolloutSucceed", "test-rolling-v2"),
        new("v4 -> a bad v5 whose pods are Ready but answer 20% errors: request-success-rate stops it at its first batch, traffic goes back to v4 before the pods",
            ["demo/10-application-v5-errors.yaml", "demo/11-rollout-v4-to-v5-analysis.yaml"], "test-rolling-v5", "rolloutFailed", "test-rolling-v4", NeedsPrometheus: true, MeasuresRecovery: true),
    ];

    /// <summary>Why an act cannot be played here (it needs Prometheus and none runs), or null when it can.</summary>
    public static string? Skip(DemoAct act, string? prometheusMissing) =>
        act.NeedsPrometheus && prometheusMissing is not null
            ? $"skipped: its metrics are measured by a real Prometheus, and there is none here: {prometheusMissing}"
            : null;
}

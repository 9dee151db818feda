using System.Globalization;
using Sluice.Core.Api;

namespace Sluice.Core.Analysis.Judge;

/// <summary>
/// Kayenta's score over several judged metrics: the percent of them that passed. At least <c>pass</c> is Successful,
/// at least <c>marginal</c> Inconclusive, below it Failed (defaults 95 and 75). Decided early as Failed when even
/// every undecided metric passing could not reach <c>marginal</c>.
/// Example: 4 judged metrics, 3 passed: score 75, Inconclusive with the defaults.
/// </summary>
public static class JudgeScoring
{
    /// <summary>The score, or null while it can still go either way.</summary>
    public static JudgeScore? Score(int passed, int failed, int undecided, JudgeScoreThresholds? thresholds)
    {
        var judged = passed + failed + undecided;
        if (judged == 0)
        {
            return null;
        }

        var pass = thresholds?.EffectivePass ?? JudgeScoreThresholds.DefaultPass;
        var marginal = thresholds?.EffectiveMarginal ?? JudgeScoreThresholds.DefaultMarginal;
        var best = 100.0 * (passed + undecided) / judged;
        if (undecided > 0 && best >= marginal)
        {
            return null;
        }

        var value = 100.0 * passed / judged;
        var phase = undecided > 0 ? AnalysisPhase.Failed
            : value >= pass ? AnalysisPhase.Successful
            : value >= marginal ? AnalysisPhase.Inconclusive
            : AnalysisPhase.Failed;
        return new JudgeScore { Value = Math.Round(value, 2), Passed = passed, Judged = judged, Phase = phase };
    }

    public static string Describe(JudgeScore score, JudgeScoreThresholds? thresholds) =>
        string.Create(CultureInfo.InvariantCulture,
            $"judge score {score.Value:0.##} ({score.Passed} of {score.Judged} judged metrics passed; pass {thresholds?.EffectivePass ?? JudgeScoreThresholds.DefaultPass:0.##}, marginal {thresholds?.EffectiveMarginal ?? JudgeScoreThresholds.DefaultMarginal:0.##})");
}

using System.Text.Json.Nodes;
using Sluice.Core.Api;

namespace Sluice.Core.Analysis.Judge;

/// <summary>What the judge made of one pair of samples: the phase, a message saying why, and the figures (kept as the measurement's value).</summary>
public sealed record JudgeVerdict(AnalysisPhase Phase, string Message, JsonObject Value);

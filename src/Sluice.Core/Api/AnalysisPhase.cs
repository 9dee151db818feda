using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>The phase of a run, of one of its metrics, or of one measurement (never Running).</summary>
[JsonConverter(typeof(ApiEnumJsonConverter<AnalysisPhase>))]
public enum AnalysisPhase
{
    Running,
    Successful,
    Failed,
    Inconclusive,

    /// <summary>A measurement: the provider or the condition could not give a value. A run: its spec cannot be run.</summary>
    Error,
}

using System.Diagnostics.Metrics;

namespace Sluice.Controllers.Metrics;

/// <summary>Something that reports gauge values when metrics are collected; every member defaults to none.</summary>
public interface IMetricsSource
{
    IEnumerable<Measurement<long>> RolloutInfo() => [];

    IEnumerable<Measurement<long>> RolloutPhase() => [];

    IEnumerable<Measurement<long>> RolloutBatch() => [];

    IEnumerable<Measurement<long>> RolloutBatches() => [];

    IEnumerable<Measurement<long>> QueueDepth() => [];

    IEnumerable<Measurement<long>> Leader() => [];
}

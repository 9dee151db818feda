namespace Sluice.Controllers.Workloads;

/// <summary>Pods of an in-place workload split by revision: those whose template is current and the rest.</summary>
internal readonly record struct InPlaceCounts(int Updated, int UpdatedReady, int Others, int OthersReady);

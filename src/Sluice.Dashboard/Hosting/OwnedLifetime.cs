using Microsoft.Extensions.Hosting;

namespace Sluice.Dashboard.Hosting;

/// <summary>The dashboard runs inside a program that owns the process's signals (the CLI, a test): its host neither registers nor waits for any.</summary>
internal sealed class OwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

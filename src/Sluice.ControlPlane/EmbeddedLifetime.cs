using Microsoft.Extensions.Hosting;

namespace Sluice.ControlPlane;

/// <summary>
/// The plane runs inside a program that owns the process's signals (the CLI, a test). ASP.NET Core's default
/// console lifetime would register its own SIGINT/SIGTERM handlers and race the owner's on shutdown, so the
/// plane's host gets a lifetime that does nothing: it starts and stops when its owner says.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

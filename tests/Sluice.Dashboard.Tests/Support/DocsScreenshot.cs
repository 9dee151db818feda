using Microsoft.Playwright;

namespace Sluice.Dashboard.Tests.Support;

/// <summary>The screenshots of docs/dashboard.md: taken into $SLUICE_SCREENSHOTS when it is set (e.g. docs/images), else nothing.</summary>
public static class DocsScreenshot
{
    public static async Task TakeAsync(ILocator element, string file)
    {
        if (Environment.GetEnvironmentVariable("SLUICE_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(dir, file) });
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Sluice.Dashboard;

/// <summary>The page's script and style sheet, built into the assembly: nothing is fetched from anywhere else.</summary>
internal static class Assets
{
    private static readonly ConcurrentDictionary<string, byte[]?> Loaded = new(StringComparer.Ordinal);

    public static IResult Serve(string file)
    {
        var type = Path.GetExtension(file) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => null,
        };
        var bytes = type is null ? null : Loaded.GetOrAdd(file, Load);
        return bytes is null ? Results.NotFound() : Results.Bytes(bytes, type);
    }

    private static byte[]? Load(string file)
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("assets/" + file);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

namespace Sluice.Cue.Evaluation;

/// <summary>Which of CUE's standard packages templates may import, and how an import path is resolved.</summary>
internal static class StandardLibrary
{
    /// <summary>The standard packages Sluice implements (the functions are in <see cref="Builtins"/>).</summary>
    public static IReadOnlyList<string> Supported { get; } =
    [
        "strings", "strconv", "list", "math", "regexp", "encoding/json", "encoding/base64", "encoding/hex", "crypto/sha256",
    ];

    /// <summary>CUE standard packages that exist but Sluice does not implement: refused by name rather than "not found".</summary>
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "encoding/yaml", "encoding/csv", "encoding/toml", "encoding/xml", "time", "net", "uuid", "path", "struct",
        "text/template", "text/tabwriter", "html", "math/bits", "crypto/md5", "crypto/sha1", "crypto/sha512",
        "crypto/hmac", "tool", "tool/cli", "tool/exec", "tool/file", "tool/http", "tool/os",
    };

    /// <summary>Short names (<c>strings</c>, <c>json</c>) usable without an import, as earlier Sluice versions allowed.</summary>
    public static IReadOnlyDictionary<string, string> ByShortName { get; } =
        Supported.ToDictionary(p => p[(p.LastIndexOf('/') + 1)..], p => p, StringComparer.Ordinal);

    /// <summary>The package for an import path, or the reason it cannot be imported.</summary>
    public static CuePackage? Resolve(string path, CuePackages packages, out string? error)
    {
        error = null;
        if (Supported.Contains(path))
        {
            return new BuiltinPackage(path);
        }
        if (packages.Find(path) is { } found)
        {
            if (!found.IsSuccess)
            {
                error = $"import \"{path}\": the package does not parse: {found.Error!.Message}";
                return null;
            }
            return found.Value;
        }
        if (Unsupported.Contains(path))
        {
            error = $"import \"{path}\": CUE's standard package {path} is not supported by Sluice (supported: {string.Join(", ", Supported)}; see docs/cue-templates.md)";
        }
        else if (path.StartsWith("kube/", StringComparison.Ordinal))
        {
            error = $"import \"{path}\": no such package: the API server publishes no {path["kube/".Length..]} in its OpenAPI v3 ({packages.Description})";
        }
        else if (path.StartsWith("vela/", StringComparison.Ordinal))
        {
            error = $"import \"{path}\": KubeVela's workflow package {path} is not supported by Sluice (workflow steps are not implemented)";
        }
        else
        {
            error = $"import \"{path}\": no such package (Sluice supports CUE's {string.Join(", ", Supported)} and kube/<group>/<version>)";
        }
        return null;
    }
}

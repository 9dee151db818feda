namespace Sluice.ControlPlane;

/// <summary>Writes the kubeconfig clients use: server URL, CA and bearer token, readable by the owner only (0600).</summary>
internal static class Kubeconfig
{
    private const string ServerKey = "server: ";

    public static string Write(string dataDir, Uri server, string token, string caPem) =>
        WriteTo(Path.Combine(dataDir, "kubeconfig"), server, token, caPem, "default");

    /// <summary>A kubeconfig at <paramref name="path"/> for <paramref name="server"/> with a bearer token (0600).</summary>
    public static string WriteTo(string path, Uri server, string token, string caPem, string ns)
    {
        var ca = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(caPem));
        var text = $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sluice
              cluster:
                server: {{server.ToString().TrimEnd('/')}}
                certificate-authority-data: {{ca}}
            contexts:
            - name: sluice
              context:
                cluster: sluice
                user: sluice
                namespace: {{ns}}
            current-context: sluice
            users:
            - name: sluice
              user:
                token: {{token}}
            preferences: {}

            """;
        OwnerOnlyFile.Write(path, text);
        return path;
    }

    /// <summary>
    /// The port of the server URL in the kubeconfig a previous start wrote, or null when there is none (or it
    /// cannot be read): a restart prefers that port, so clients holding the kubeconfig keep reaching the plane.
    /// </summary>
    public static int? PreviousPort(string dataDir)
    {
        try
        {
            var server = File.ReadLines(Path.Combine(dataDir, "kubeconfig"))
                .Select(line => line.Trim())
                .FirstOrDefault(line => line.StartsWith(ServerKey, StringComparison.Ordinal));
            return server is not null && Uri.TryCreate(server[ServerKey.Length..].Trim(), UriKind.Absolute, out var url)
                && url.Scheme == Uri.UriSchemeHttps && url.Port is > 0 and <= 65535
                ? url.Port
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

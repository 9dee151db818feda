namespace Sluice.ControlPlane;

/// <summary>Writes the kubeconfig clients use: server URL, CA and bearer token, readable by the owner only (0600).</summary>
internal static class Kubeconfig
{
    public static string Write(string dataDir, Uri server, string token, string caPem)
    {
        var path = Path.Combine(dataDir, "kubeconfig");
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
                namespace: default
            current-context: sluice
            users:
            - name: sluice
              user:
                token: {{token}}
            preferences: {}

            """;
        var temp = path + ".tmp";
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(temp);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = mode;
        }
        using (var file = new FileStream(temp, create))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
        return path;
    }
}

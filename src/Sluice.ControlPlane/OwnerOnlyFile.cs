namespace Sluice.ControlPlane;

/// <summary>
/// Writes files that hold credentials (the kubeconfig, DIR/pki): readable by the owner only (0600) from the
/// moment they exist, and replaced atomically (a temporary file renamed over the old one), so a crash never
/// leaves a half-written file that a client or the next start would read.
/// </summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Write(string path, string text)
    {
        var temp = path + ".tmp";
        File.Delete(temp);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = Mode;
        }
        using (var file = new FileStream(temp, create))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Mode);
        }
    }

    /// <summary>Creates <paramref name="path"/> (if needed) as a directory only the owner can enter (0700).</summary>
    public static void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

namespace Sluice.ControlPlane;

/// <summary>
/// Holds <c>DIR/lock</c> exclusively (an OS file lock, released when the process dies) so that a
/// second control plane on the same data directory refuses to start.
/// </summary>
internal sealed class DataDirLock : IDisposable
{
    private readonly FileStream _file;

    private DataDirLock(FileStream file) => _file = file;

    public static DataDirLock Acquire(string dataDir)
    {
        var path = Path.Combine(dataDir, "lock");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            var pid = System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            file.Write(pid);
            file.Flush();
            return new DataDirLock(file);
        }
        catch (IOException e)
        {
            throw new ControlPlaneStartException(
                $"another Sluice control plane is already using the data directory {dataDir} (its lock file {path} is held); stop it or choose another --data-dir", e);
        }
    }

    public void Dispose() => _file.Dispose();
}

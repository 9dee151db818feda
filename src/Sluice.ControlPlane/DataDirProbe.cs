namespace Sluice.ControlPlane;

/// <summary>Tells clients whether a control plane is serving a data directory (its lock is held).</summary>
public static class DataDirProbe
{
    public static bool IsServing(string dataDir)
    {
        var path = Path.Combine(dataDir, "lock");
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}

using System.Diagnostics;

namespace Sluice.Bench.Common;

/// <summary>
/// Where a child process's stdout and stderr go: appended to a log file (kept for a post-mortem), each line also
/// offered to an optional watcher (to wait for a line that says the child is ready).
/// </summary>
internal static class ChildOutput
{
    public static void Pipe(Process process, string logPath, Action<string>? onLine = null)
    {
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var gate = new Lock();
        void Write(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    log.WriteLine(line);
                }
                onLine?.Invoke(line);
            }
        }
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => { lock (gate) { log.Flush(); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }
}

using System.Diagnostics;
using Sluice.Testing;

namespace Sluice.Cli.Tests.Commands;

public sealed class CompletionCommandTests
{
    [Theory]
    [InlineData("bash", "complete -o default -F _sluice_complete sluice")]
    [InlineData("zsh", "compdef _sluice sluice")]
    [InlineData("fish", "complete -c sluice -f -a '(__sluice_complete)'")]
    public async Task Completion_EachShell_PrintsItsScript(string shell, string registration)
    {
        var (code, console) = await FakeConsole.RunAsync("completion", shell);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stdout.ShouldContain(registration);
        console.Stdout.ShouldContain("[suggest:");
    }

    [Fact]
    public async Task Completion_UnknownShell_ExitsUsage()
    {
        var (code, _) = await FakeConsole.RunAsync("completion", "powershell");

        code.ShouldBe(ExitCodes.Usage);
    }

    [Fact]
    public async Task SuggestDirective_AfterRollout_OffersItsOperations()
    {
        var (code, console) = await FakeConsole.RunAsync("[suggest:15]", "sluice rollout ");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stdout.Split('\n').ShouldContain("promote");
        console.Stdout.Split('\n').ShouldContain("undo");
    }

    [Fact]
    public async Task BashScript_SourcedInBash_CompletesRolloutPaToPause()
    {
        // Given `sluice` running the built CLI, and the bash script sourced
        var script = $$"""
            sluice() { dotnet '{{RepoPaths.SluiceDll}}' "$@"; }
            source <(sluice completion bash)
            COMP_LINE="sluice rollout pa"; COMP_POINT=17; COMP_WORDS=(sluice rollout pa); COMP_CWORD=2
            _sluice_complete
            echo "${COMPREPLY[*]}"
            """;
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };

        // When bash completes "sluice rollout pa"
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        // Then the only candidate is pause
        (await stdout).Trim().ShouldBe("pause", await stderr);
    }
}

using Sluice.Testing;
namespace Sluice.Cli.Tests.Commands;

public class StateMachineCommandTests
{
    [Fact]
    public async Task StateMachine_PrintsTheCommittedDocument()
    {
        var (code, console) = await FakeConsole.RunAsync("state-machine");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stdout.ShouldBe(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docs", "state-machine.md")));
    }
}

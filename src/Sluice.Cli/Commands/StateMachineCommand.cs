using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Core.StateMachine;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice state-machine</c>: prints docs/state-machine.md, generated from the transition table.</summary>
internal static class StateMachineCommand
{
    public static Command Create(ICliConsole console)
    {
        var command = new Command("state-machine", "Print the AppRollout state machine (Mermaid diagram and table) as Markdown.");
        command.SetAction(_ =>
        {
            console.Out.Write(MermaidDiagram.Render(TransitionTable.Rows));
            return ExitCodes.Success;
        });
        return command;
    }
}

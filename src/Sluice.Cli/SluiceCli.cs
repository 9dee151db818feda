using System.CommandLine;
using Sluice.Cli.Commands;
using Sluice.Cli.Output;

namespace Sluice.Cli;

/// <summary>The composition root of the <c>sluice</c> command: every verb, parsed and invoked against a console.</summary>
internal static class SluiceCli
{
    public static RootCommand Build(ICliConsole console)
    {
        var root = new RootCommand("Sluice: progressive rollout for Kubernetes applications.");
        var connection = new ConnectionOptions();
        foreach (var option in connection.All)
        {
            root.Options.Add(option);
        }

        foreach (var command in Verbs(console, connection, TimeProvider.System))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, ICliConsole console, CancellationToken cancellationToken = default)
    {
        var root = Build(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }

            var name = string.Join(' ', CommandPath(parsed.CommandResult.Command));
            await console.Error.WriteLineAsync($"Usage: {name} [options]   (see '{name} --help')");
            return ExitCodes.Usage;
        }

        // Verbs that run until stopped (up, controller) own SIGINT/SIGTERM themselves; System.CommandLine's own
        // termination handling would race theirs and end the process with 143 while they shut down.
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = null };
        return await parsed.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>One file per verb under Commands/; register each here.</summary>
    private static IEnumerable<Command> Verbs(ICliConsole console, ConnectionOptions connection, TimeProvider time) =>
    [
        PlanCommand.Create(console),
        StateMachineCommand.Create(console),
        UpCommand.Create(console),
        ControllerCommand.Create(console, connection),
        DemoCommand.Create(console),
        DashboardCommand.Create(console, connection),
        DefinitionsCommand.Create(console, connection),
        RolloutCommand.Create(console, connection, time),
        SetCommand.Create(console, connection),
        GetCommand.Create(console, connection, time),
        DescribeCommand.Create(console, connection, time),
        ApplyCommand.CreateApply(console, connection),
        ApplyCommand.CreateDelete(console, connection),
        CompletionCommand.Create(console),
        VersionCommand.Create(console, connection),
    ];

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? symbol = command; symbol is Command c; symbol = c.Parents.FirstOrDefault())
        {
            names.Push(c is RootCommand ? "sluice" : c.Name);
        }

        return names;
    }
}

using System.CommandLine;
using Sluice.Cli.Output;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice completion bash|zsh|fish</c>: a script that completes verbs, options and kinds by asking
/// <c>sluice</c> itself through System.CommandLine's <c>[suggest:POSITION]</c> directive.
/// </summary>
internal static class CompletionCommand
{
    public const string Bash = """
        # sluice completion for bash: source <(sluice completion bash)
        _sluice_complete() {
            local IFS=$'\n'
            local candidates
            candidates=$(sluice "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
            COMPREPLY=( $(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _sluice_complete sluice

        """;

    public const string Zsh = """
        #compdef sluice
        # sluice completion for zsh: source <(sluice completion zsh)
        _sluice() {
            local -a candidates
            candidates=("${(@f)$(sluice "[suggest:${#${BUFFER[1,CURSOR]}}]" "${BUFFER}" 2>/dev/null)}")
            compadd -a candidates
        }
        compdef _sluice sluice

        """;

    public const string Fish = """
        # sluice completion for fish: sluice completion fish | source
        function __sluice_complete
            set -l line (commandline -cp)
            sluice "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c sluice -f -a '(__sluice_complete)'

        """;

    public static Command Create(ICliConsole console)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print a shell completion script: source <(sluice completion bash).") { shell };
        command.SetAction(async (parse, _) =>
        {
            await console.Out.WriteAsync(parse.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => Fish,
            });
            return ExitCodes.Success;
        });
        return command;
    }
}

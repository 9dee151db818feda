using Sluice.Cli;
using Sluice.Cli.Output;

return await SluiceCli.RunAsync(args, new SystemConsole());

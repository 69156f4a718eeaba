using Warden.Server;

return await Cli.RunAsync(args);

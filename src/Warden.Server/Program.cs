using Warden.Server;

return await Cli.Build().Parse(args).InvokeAsync();

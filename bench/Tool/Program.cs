using Warden.Bench;

// warden-bench COMMAND [--key value ...]; every command prints machine-readable lines that bench/run.sh parses.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: warden-bench seed|hashfloor|flows|overload|users [--key value ...]");
    return 2;
}
var opts = Options.Parse(args.Skip(1));
try
{
    return args[0] switch
    {
        "seed" => await Seeder.RunAsync(opts),
        "hashfloor" => await HashFloor.RunAsync(opts),
        "flows" => await FlowLoad.RunAsync(opts),
        "overload" => await Overload.RunAsync(opts),
        "users" => await LoginUsers.RunAsync(opts),
        _ => Fail($"unknown command {args[0]}"),
    };
}
catch (BenchException e)
{
    return Fail(e.Message);
}

static int Fail(string message)
{
    Console.Error.WriteLine("warden-bench: " + message);
    return 1;
}

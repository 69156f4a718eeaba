// Framework ceiling for the benchmarks: the same Kestrel and JSON stack as Warden, no database, no logic.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var payload = System.Text.Encoding.UTF8.GetBytes(File.Exists("payload.json") ? File.ReadAllText("payload.json") : "{}");
app.MapGet("/payload", () => Results.Bytes(payload, "application/json"));
app.MapGet("/health/ready", () => Results.Ok());
app.Run();

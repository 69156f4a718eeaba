using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Schemas;
using Xunit;

namespace Warden.Tests.Schemas;

public sealed class SchemaStartupReportTests
{
    [Fact]
    public async Task One_warning_per_unavailable_schema_naming_the_key_and_not_the_credentials()
    {
        // Both refused before connecting (private address), so nothing has to listen on port 9.
        var schemas = IdentitySchemas.Load(new WardenConfig(ConfigLoader.Parse($"""
            clients:
              http:
                disallow_private_ip_ranges: true
            identity:
              default_schema_id: local
              schemas:
                - id: local
                  url: file://{SchemaFixtures.Path("email.schema.json")}
                - id: first
                  url: http://admin:s3cret-token@127.0.0.1:9/a.json
                - id: second
                  url: http://127.0.0.1:9/b.json
            """)));
        var log = new CollectingLogger();
        await new SchemaStartupReport(schemas, log).StartAsync(CancellationToken.None);

        Assert.Equal(2, log.Lines.Count);
        Assert.All(log.Lines, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.Contains("identity.schemas.1.url", log.Lines[0].Text);
        Assert.Contains("private", log.Lines[0].Text);
        Assert.Contains("identity.schemas.2.url", log.Lines[1].Text);
        Assert.DoesNotContain(log.Lines, l => l.Text.Contains("s3cret"));
    }

    private sealed class CollectingLogger : ILogger<SchemaStartupReport>
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}

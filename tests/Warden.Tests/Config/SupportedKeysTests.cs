using Microsoft.Extensions.Logging;
using Warden.Config;
using Xunit;

namespace Warden.Tests.Config;

public sealed class SupportedKeysTests
{
    [Fact]
    public void Reports_each_unsupported_section_once_at_its_top()
    {
        var unsupported = SupportedKeys.FindUnsupported(ConfigFixtures.Profile().Root);
        Assert.Equal(
        [
            "selfservice.methods.totp",
            "selfservice.methods.oidc",
            "selfservice.flows.registration.enable_legacy_one_step",
            "tracing",
        ], unsupported);
    }

    [Fact]
    public void Implemented_and_silent_keys_are_not_reported()
    {
        var unsupported = SupportedKeys.FindUnsupported(ConfigFixtures.Yaml("""
            dsn: memory
            version: v1.0.0
            dev: true
            feature_flags: {use_continue_with_transitions: true}
            serve: {public: {cors: {enabled: true}}}
            selfservice:
              flows: {login: {ui_url: /login, after: {password: {hooks: [{hook: session}]}}}}
              methods: {password: {enabled: true}, code: {enabled: true}, link: {enabled: true}, profile: {enabled: true}, webauthn: {enabled: false}}
            courier: {smtp: {connection_uri: 'smtp://x'}}
            """).Root);
        Assert.Empty(unsupported);
    }

    [Fact]
    public void Logs_one_warning_with_key_names_only_and_only_once()
    {
        var config = ConfigFixtures.Profile();
        var logger = new ListLogger();
        SupportedKeys.LogUnsupportedOnce(config, logger);
        SupportedKeys.LogUnsupportedOnce(config, logger);
        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("selfservice.methods.oidc", message);
        Assert.Contains("tracing", message);
        Assert.DoesNotContain("fixture-client-secret", message);
    }

    [Fact]
    public void Nothing_is_logged_when_everything_is_supported()
    {
        var logger = new ListLogger();
        SupportedKeys.LogUnsupportedOnce(ConfigFixtures.Yaml("dsn: memory"), logger);
        Assert.Empty(logger.Entries);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}

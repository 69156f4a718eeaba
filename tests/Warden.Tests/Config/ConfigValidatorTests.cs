using Warden.Config;
using Xunit;

namespace Warden.Tests.Config;

public sealed class ConfigValidatorTests
{
    [Fact]
    public void The_fixture_profile_is_valid()
    {
        Assert.Empty(ConfigValidator.Check(ConfigFixtures.Profile()));
        ConfigValidator.Validate(ConfigFixtures.Profile());
    }

    [Theory]
    [InlineData("serve: {public: {port: abc}}", "serve.public.port", "expected an integer between 1 and 65535, got \"abc\"")]
    [InlineData("serve: {admin: {port: 70000}}", "serve.admin.port", "expected an integer between 1 and 65535, got 70000")]
    [InlineData("serve: {public: {port: 44.5}}", "serve.public.port", "between 1 and 65535")]
    [InlineData("serve: {public: {host: example.org}}", "serve.public.host", "IP address")]
    [InlineData("serve: {public: {base_url: not-a-url}}", "serve.public.base_url", "absolute http(s) URL")]
    [InlineData("serve: {admin: {base_url: 'ftp://x/'}}", "serve.admin.base_url", "absolute http(s) URL")]
    [InlineData("dsn: 'mysql://u:p@tcp(db:3306)/kratos'", "dsn", "MySQL")]
    [InlineData("dsn: 12", "dsn", "database URL")]
    [InlineData("selfservice: {default_browser_return_url: 'no spaces allowed'}", "selfservice.default_browser_return_url", "absolute URL")]
    [InlineData("selfservice: {allowed_return_urls: ['https://ok.example', 'relative/path']}", "selfservice.allowed_return_urls.1", "absolute URL")]
    [InlineData("selfservice: {flows: {login: {ui_url: 'login'}}}", "selfservice.flows.login.ui_url", "path starting with /")]
    [InlineData("selfservice: {flows: {registration: {lifespan: 10 minutes}}}", "selfservice.flows.registration.lifespan", "duration such as")]
    [InlineData("selfservice: {flows: {recovery: {lifespan: 0s}}}", "selfservice.flows.recovery.lifespan", "longer than zero")]
    [InlineData("selfservice: {flows: {settings: {privileged_session_max_age: 1d}}}", "selfservice.flows.settings.privileged_session_max_age", "duration")]
    [InlineData("selfservice: {flows: {recovery: {use: sms}}}", "selfservice.flows.recovery.use", "expected one of link, code, got \"sms\"")]
    [InlineData("selfservice: {flows: {recovery: {enabled: 'yes'}}}", "selfservice.flows.recovery.enabled", "expected a boolean (true or false), got \"yes\"")]
    [InlineData("selfservice: {flows: {logout: {after: {default_browser_return_url: 'a b'}}}}", "selfservice.flows.logout.after.default_browser_return_url", "absolute URL")]
    [InlineData("selfservice: {flows: {login: {after: {password: {default_browser_return_url: 'x'}}}}}", "selfservice.flows.login.after.password.default_browser_return_url", "absolute URL")]
    [InlineData("session: {lifespan: 1d}", "session.lifespan", "duration")]
    [InlineData("session: {cookie: {same_site: strict}}", "session.cookie.same_site", "expected one of Strict, Lax, None, got \"strict\"")]
    [InlineData("cookies: {same_site: Relaxed}", "cookies.same_site", "Strict, Lax, None")]
    [InlineData("session: {whoami: {required_aal: aal2}}", "session.whoami.required_aal", "aal1, highest_available")]
    [InlineData("hashers: {algorithm: md5}", "hashers.algorithm", "expected one of bcrypt, argon2, pbkdf2, got \"md5\"")]
    [InlineData("hashers: {bcrypt: {cost: 40}}", "hashers.bcrypt.cost", "between 4 and 31, got 40")]
    [InlineData("hashers: {bcrypt: {cost: 8}}", "hashers.bcrypt.cost", "at least 12 outside --dev")]
    [InlineData("hashers: {argon2: {memory: lots}}", "hashers.argon2.memory", "size such as")]
    [InlineData("hashers: {argon2: {iterations: 0}}", "hashers.argon2.iterations", "at least 1")]
    [InlineData("secrets: {cookie: [short]}", "secrets.cookie.0", "at least 16 characters long, got 5")]
    [InlineData("secrets: {default: ['long-enough-secret-1', 'tiny']}", "secrets.default.1", "at least 16 characters")]
    [InlineData("secrets: {cipher: [thirty-one-characters-long-xxxx]}", "secrets.cipher.0", "exactly 32 characters long, got 31")]
    [InlineData("secrets: {cookie: not-a-list-0123456789}", "secrets.cookie", "expected a list")]
    [InlineData("identity: {schemas: []}", "identity.schemas", "at least one schema")]
    [InlineData("identity: {default_schema_id: a, schemas: [{id: a, url: 'ftp://x/s.json'}]}", "identity.schemas.0.url", "file://, base64://, http:// or https://")]
    [InlineData("identity: {schemas: [{id: '', url: 'file://s.json'}]}", "identity.schemas.0.id", "non-empty string")]
    [InlineData("identity: {schemas: [{id: a, url: 'file://a.json'}, {id: a, url: 'file://b.json'}], default_schema_id: a}", "identity.schemas.1.id", "used more than once")]
    [InlineData("identity: {default_schema_id: staff, schemas: [{id: customer, url: 'file://c.json'}]}", "identity.default_schema_id", "\"staff\" is not the id of any schema")]
    [InlineData("identity: {schemas: [{id: customer, url: 'file://c.json'}]}", "identity.default_schema_id", "is not set, so it is \"default\"")]
    [InlineData("identity: {default_schema_id: staff}", "identity.default_schema_id", "(ids: default)")]
    [InlineData("courier: {smtp: {connection_uri: 'http://mail.example.org'}}", "courier.smtp.connection_uri", "smtp://")]
    [InlineData("courier: {smtp: {from_address: nobody}}", "courier.smtp.from_address", "e-mail address")]
    [InlineData("log: {level: verbose}", "log.level", "expected one of trace, debug, info, warning, error, fatal, panic, got \"verbose\"")]
    [InlineData("log: {format: xml}", "log.format", "json, text")]
    [InlineData("version: 1.0", "version", "v1.3.0")]
    [InlineData("dns: memory", "dns", "not a known configuration key")]
    [InlineData("serve: {public: {prot: 4433}}", "serve.public.prot", "not a known configuration key")]
    [InlineData("selfservice: {flows: {login: {ui-url: 'http://x/'}}}", "selfservice.flows.login.ui-url", "not a known configuration key")]
    [InlineData("serve: 4433", "serve", "expected a mapping of keys, got 4433")]
    public void An_invalid_value_names_the_key_and_the_problem(string yaml, string key, string expected)
    {
        var problem = Assert.Single(ConfigFixtures.Problems(yaml));
        Assert.Equal(key, problem.Key);
        Assert.Contains(expected, problem.Problem);
        Assert.StartsWith($"config key '{key}': ", problem.ToString());
    }

    [Theory]
    [InlineData("serve: {public: {port: 0}, admin: {port: 65535}}")]
    [InlineData("hashers: {bcrypt: {cost: 4}}")]
    [InlineData("selfservice: {default_browser_return_url: /dashboard, allowed_return_urls: ['https://*.example.org/', 'exp://app/cb', /home]}")]
    [InlineData("serve: {public: {host: 0.0.0.0}, admin: {host: '::1'}}")]
    [InlineData("identity: {schemas: [{id: default, url: 'base64://e30='}]}")]
    [InlineData("cookies: {secure: true}")]
    [InlineData("dsn: 'postgres://u:p@db:5432/warden?sslmode=require'")]
    [InlineData("selfservice: {flows: {login: {before: {hooks: }}}}")]
    public void Valid_values_pass(string yaml) => Assert.Empty(ConfigFixtures.Problems(yaml, dev: true));

    [Fact]
    public void Free_form_sections_accept_any_keys()
    {
        Assert.Empty(ConfigFixtures.Problems("""
            tracing: {provider: otel, anything: {goes: here}}
            selfservice:
              flows:
                registration:
                  after:
                    hooks:
                      - hook: web_hook
                        config: {url: 'http://h/', method: POST, headers: {X-Custom: v}, custom_field: 1}
            identity:
              schemas:
                - {id: default, url: 'file://s.json', selfservice_selectable: true, unknown_extra: 1}
            """));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(ConfigFixtures.Yaml("""
            serve: {public: {port: abc}}
            log: {level: loud}
            session: {lifespan: forever}
            """)));
        Assert.Equal(["serve.public.port", "log.level", "session.lifespan"], e.Problems.Select(p => p.Key));
        Assert.Equal("serve.public.port", e.Key);
        Assert.Equal(3, e.Message.Split('\n').Length);
    }

    [Theory]
    [InlineData("courier: {smtp: {connection_uri: 'http://mailer:hunter2-secret@mail.example.org'}}", "courier.smtp.connection_uri")]
    [InlineData("secrets: {cookie: [hunter2-secret]}", "secrets.cookie.0")]
    [InlineData("dsn: 'mysql://root:hunter2-secret@tcp(db)/x'", "dsn")]
    [InlineData("selfservice: {methods: {oidc: {config: {providers: [{id: x, client_secret: 42}]}}}}", "selfservice.methods.oidc.config.providers.0.client_secret")]
    public void Secret_values_never_appear_in_messages(string yaml, string key)
    {
        var problem = Assert.Single(ConfigFixtures.Problems(yaml));
        Assert.Equal(key, problem.Key);
        Assert.DoesNotContain("hunter2", problem.Problem);
        Assert.DoesNotContain("42", problem.Problem);
    }

    [Fact]
    public void Bcrypt_cost_below_twelve_is_fine_in_dev_mode()
    {
        Assert.Empty(ConfigFixtures.Problems("hashers: {bcrypt: {cost: 4}}", dev: true));
        Assert.Single(ConfigFixtures.Problems("hashers: {bcrypt: {cost: 4}}", dev: false));
    }

    [Fact]
    public void Warden_extensions_are_known_keys()
    {
        Assert.Empty(ConfigFixtures.Problems("serve: {public: {trusted_proxies: [10.0.0.0/8]}}\nhashers: {algorithm: pbkdf2, pbkdf2: {iterations: 600000}}"));
        Assert.Single(ConfigFixtures.Problems("serve: {public: {trusted_proxies: 10.0.0.0/8}}"));
    }
}

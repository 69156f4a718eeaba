using System.Text.Json.Nodes;

namespace Warden.Config;

/// <summary>
/// Kratos compat: any config key can be set from the environment by upper-casing its path and joining
/// the segments with underscores (<c>SERVE_PUBLIC_PORT</c>, <c>SELFSERVICE_FLOWS_LOGIN_UI_URL</c>).
/// </summary>
public static class EnvironmentOverrides
{
    public static void Apply(JsonObject root, IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in environment)
        {
            if (value is null) continue;
            if (name == "DSN") root["dsn"] = value;
        }
    }
}

using System.Reflection;

namespace Warden;

public static class WardenVersion
{
    public static string Current { get; } =
        typeof(WardenVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}

namespace Warden.Tests.Support;

/// <summary>
/// Locates <c>../shared/reference/kratos</c> beside the repository. It exists on developer machines and in
/// CI, not in a user's clone: tests that need it return early via <see cref="Available"/> checks only for
/// the extra comparisons; every behaviour is also covered by our own fixtures.
/// </summary>
public static class Shared
{
    public static readonly string? KratosReference = Find();

    public static bool Available => KratosReference is not null;

    public static string Path(string relative) =>
        System.IO.Path.Combine(KratosReference ?? throw new InvalidOperationException("../shared is not present"), relative);

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("WARDEN_SHARED_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(System.IO.Path.Combine(env, "reference/kratos")))
            return System.IO.Path.Combine(env, "reference/kratos");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Warden.sln")))
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "../shared/reference/kratos"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }
        return null;
    }

    /// <summary>The repository root (the folder holding Warden.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Warden.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}

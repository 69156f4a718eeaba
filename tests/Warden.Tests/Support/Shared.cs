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
        var root = FindRoot();
        if (root is null) return null;
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "../shared/reference/kratos"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    /// <summary>The repository root (the folder holding Warden.sln).</summary>
    public static string RepoRoot() => FindRoot() ?? throw new InvalidOperationException("repository root not found");

    /// <summary>
    /// Walks up from the test binaries, then from this source file's compile-time path: build slots
    /// (WARDEN_BUILD_SLOT) put the binaries outside the repository.
    /// </summary>
    private static string? FindRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile) ?? "" })
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Warden.sln"))) return dir.FullName;
        return null;
    }
}

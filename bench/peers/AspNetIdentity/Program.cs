// ASP.NET Core Identity as a peer: its own MapIdentityApi endpoints with default options, EF Core + Npgsql.
// Only /bench/* is ours: bulk seeding and minting bearer tokens without a password hash, so preparing 100k
// users and thousands of tokens takes seconds instead of hours. The measured endpoints are untouched.
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var connection = builder.Configuration["Pg"] ?? throw new InvalidOperationException("--Pg <npgsql connection string> is required");
builder.Services.AddDbContext<PeerDb>(o => o.UseNpgsql(connection));
builder.Services.AddAuthorization();
builder.Services.AddIdentityApiEndpoints<IdentityUser>().AddEntityFrameworkStores<PeerDb>();

var app = builder.Build();
using (var scope = app.Services.CreateScope())
    await scope.ServiceProvider.GetRequiredService<PeerDb>().Database.EnsureCreatedAsync();

app.MapIdentityApi<IdentityUser>();
app.MapGet("/health/ready", () => Results.Ok());

// INSERT … SELECT generate_series: every user shares one real PasswordHasher<T> hash of the bench password.
app.MapPost("/bench/seed", async (int count, PeerDb db, IPasswordHasher<IdentityUser> hasher) =>
{
    var hash = hasher.HashPassword(new IdentityUser(), "Correct-Horse-Battery-42");
    await db.Database.ExecuteSqlAsync($"""
        INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
            "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
        SELECT gen_random_uuid()::text, e, upper(e), e, upper(e), false, {hash}, upper(replace(gen_random_uuid()::text, '-', '')),
            gen_random_uuid()::text, false, false, true, 0
        FROM (SELECT 'bench-' || g || '@example.org' AS e FROM generate_series(1, {count}) g) s
        """);
    // As Warden's seeder: vacuumed and analyzed, as a database that grew to this size would be.
    await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE)");
    return Results.Ok();
});

// A bearer token for an existing user, issued the way /login issues it, minus the password check.
app.MapPost("/bench/token", async (string email, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn) =>
{
    var user = await users.FindByEmailAsync(email);
    if (user is null) return Results.NotFound();
    signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
    await signIn.SignInAsync(user, isPersistent: false);
    return Results.Empty;
});

app.Run();

internal sealed class PeerDb(DbContextOptions<PeerDb> options) : IdentityDbContext<IdentityUser>(options);

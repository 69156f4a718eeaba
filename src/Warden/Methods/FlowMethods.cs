using System.Data.Common;
using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.Persistence;
using Warden.Schemas;
using Warden.SelfService.Flows;
using Warden.Sessions;

namespace Warden.Methods;

/// <summary>
/// A way to sign in (password, later totp, webauthn, …). Methods never see HTTP: they add their nodes to
/// a flow and judge a parsed submission; the flow endpoints and the responder do the rest.
/// </summary>
public interface ILoginMethod
{
    /// <summary>The <c>method</c> value that selects this method in a submission.</summary>
    string Id { get; }
    bool Enabled { get; }
    /// <summary>Adds this method's nodes. <paramref name="refreshIdentity"/> is set when re-authenticating a session.</summary>
    void PopulateLogin(Flow flow, Identity? refreshIdentity);
    /// <summary>
    /// The identity a submission will look up, if any, so the login endpoint can read it with the flow; it must not
    /// judge the submission (that is <see cref="LoginAsync"/>'s job, after the flow's checks).
    /// </summary>
    IdentityLookup? Lookup(JsonObject body);
    /// <summary><paramref name="prefetched"/>: what was read for <see cref="Lookup"/>'s answer, or null.</summary>
    Task<LoginOutcome> LoginAsync(Flow flow, JsonObject body, IdentityPrefetch? prefetched, CancellationToken ct);
}

/// <summary>A way to sign up; see <see cref="ILoginMethod"/>.</summary>
public interface IRegistrationMethod
{
    string Id { get; }
    bool Enabled { get; }
    void PopulateRegistration(Flow flow, IdentitySchema schema);
    /// <summary>
    /// Judges the submission and stores the identity. <paramref name="completeFlow"/> adds the rows that mark the
    /// flow completed; the method passes it to the identity's insert so both are written together (no completed
    /// flow without its identity, no identity whose flow can be submitted again).
    /// </summary>
    Task<RegistrationOutcome> RegisterAsync(Flow flow, IdentitySchema schema, JsonObject body, Func<SqlBatch, SqlBatch> completeFlow,
        CancellationToken ct);
}

/// <summary>
/// The result of a login attempt. On failure the messages are already on the flow's nodes.
/// <see cref="InTransaction"/> runs in the transaction that inserts the session (e.g. a password re-hash),
/// so both happen or neither does.
/// </summary>
public sealed class LoginOutcome
{
    public Identity? Identity { get; private init; }
    public AuthenticationMethod? Method { get; private init; }
    public Func<DbConnection, DbTransaction, CancellationToken, Task>? InTransaction { get; private init; }
    public bool Succeeded => Identity is not null;

    public static LoginOutcome Failed() => new();

    public static LoginOutcome Success(Identity identity, AuthenticationMethod method,
        Func<DbConnection, DbTransaction, CancellationToken, Task>? inTransaction = null) =>
        new() { Identity = identity, Method = method, InTransaction = inTransaction };
}

/// <summary>The result of a registration attempt; on success the identity is stored.</summary>
public sealed class RegistrationOutcome
{
    public Identity? Identity { get; private init; }
    public AuthenticationMethod? Method { get; private init; }
    public bool Succeeded => Identity is not null;

    public static RegistrationOutcome Failed() => new();

    public static RegistrationOutcome Success(Identity identity, AuthenticationMethod method) =>
        new() { Identity = identity, Method = method };
}

/// <summary>The enabled methods, keyed by their <c>method</c> value; built once at startup.</summary>
public sealed class MethodRegistry(IEnumerable<ILoginMethod> login, IEnumerable<IRegistrationMethod> registration)
{
    public IReadOnlyDictionary<string, ILoginMethod> Login { get; } =
        login.Where(m => m.Enabled).ToDictionary(m => m.Id, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IRegistrationMethod> Registration { get; } =
        registration.Where(m => m.Enabled).ToDictionary(m => m.Id, StringComparer.Ordinal);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Config;
using Warden.Http.Csrf;
using Warden.Ui;
using Warden.WebUi.Render;

namespace Warden.WebUi.Pages;

/// <summary>
/// <c>/ui/welcome</c>: the signed-in user's identity, this session's assurance level, their other sessions
/// (with sign-out per session, when the server offers <c>GET /sessions</c>) and the logout link. Every
/// fact comes from the public API with the browser's cookies, as in any custom UI.
/// </summary>
public sealed class WelcomePage(WardenApi api, Layout layout, UiCatalog catalog, CsrfTokens csrf, WardenConfig config)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var l = catalog.For(ctx.Request.Headers.AcceptLanguage);
        var who = await api.GetAsync(ctx, "/sessions/whoami");
        if (who.Status == 401)
        {
            await Redirect.SeeOtherAsync(ctx, "/ui/login");
            return;
        }
        if (who.Status == 403 && Json.Str(who.Body?["error"]?["details"]?["redirect_browser_to"]) is { } stepUp && Html.SafeUrl(stepUp))
        {
            await Redirect.SeeOtherAsync(ctx, stepUp);
            return;
        }
        if (!who.Ok || who.Body is not JsonObject session)
        {
            await ErrorPage.WriteApiErrorAsync(ctx, layout, l, who);
            return;
        }
        var logout = await api.GetAsync(ctx, "/self-service/logout/browser");
        var others = await api.GetAsync(ctx, "/sessions");

        // Trait labels come from the identity schema's titles, as in the forms.
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Json.Str(session["identity"]?["schema_id"]) is { Length: > 0 } schemaId)
        {
            var schema = await api.GetAsync(ctx, "/schemas/" + Uri.EscapeDataString(schemaId));
            if (schema is { Ok: true, Body: JsonObject doc }) Titles(doc["properties"]?["traits"] as JsonObject, "", titles);
        }

        var h = new Html();
        h.Element("p", l["welcome.signed_in"]);
        Profile(h, session, l, titles);
        ThisSession(h, session, l);
        // GET /sessions is part of session management; without it the section is simply left out.
        if (others is { Ok: true, Body: JsonArray list }) Sessions(h, ctx, list, session["id"]?.ToString(), l);

        h.Open("ul", ("class", "links"));
        h.Open("li").Element("a", l["link.settings"], ("href", "/ui/settings")).Close("li");
        if (config.Bool("selfservice.flows.verification.enabled") && Unverified(session))
            h.Open("li").Element("a", l["link.verification"], ("href", "/ui/verification")).Close("li");
        if (logout is { Ok: true } && Json.Str(logout.Body?["logout_url"]) is { } url && Html.SafeUrl(url))
            h.Open("li").Element("a", l["link.logout"], ("href", url), ("id", "logout")).Close("li");
        h.Close("ul");

        var messages = new List<UiText>();
        if (ctx.Request.Query["revoked"] == "1") messages.Add(new UiText(0, l["welcome.sessions.revoked"], "success"));
        if (ctx.Request.Query["revoked"] == "0") messages.Add(new UiText(0, l["welcome.sessions.failed"], "error"));
        await layout.WriteAsync(ctx, new Page { Title = l["page.welcome"], L = l, Body = h.ToString(), Messages = messages });
    }

    /// <summary><c>POST /ui/welcome/sessions/revoke</c>: the no-JavaScript way to call <c>DELETE /sessions/{id}</c>.</summary>
    public async Task RevokeAsync(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType)
        {
            await Redirect.SeeOtherAsync(ctx, "/ui/welcome");
            return;
        }
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        // The form is this page's own, so it carries its own double-submit CSRF token.
        if (!CsrfTokens.Verify(csrf.FromRequest(ctx.Request), form["csrf_token"]) || !Guid.TryParse(form["session_id"], out var id))
        {
            await Redirect.SeeOtherAsync(ctx, "/ui/welcome?revoked=0");
            return;
        }
        var answer = await api.SendAsync(ctx, HttpMethod.Delete, $"/sessions/{id}");
        await Redirect.SeeOtherAsync(ctx, answer.Ok ? "/ui/welcome?revoked=1" : "/ui/welcome?revoked=0");
    }

    private static bool Unverified(JsonObject session) =>
        session["identity"]?["verifiable_addresses"] is JsonArray addresses &&
        addresses.OfType<JsonObject>().Any(a => a["verified"] is JsonValue v && v.GetValueKind() == JsonValueKind.False);

    private static void Titles(JsonObject? schema, string prefix, Dictionary<string, string> into)
    {
        if (schema?["properties"] is not JsonObject props || prefix.Count(c => c == '.') > 8) return;
        foreach (var (key, value) in props)
        {
            if (value is not JsonObject p) continue;
            if (p["title"] is JsonValue t && t.TryGetValue<string>(out var title)) into[prefix + key] = title;
            Titles(p, prefix + key + ".", into);
        }
    }

    private static void Profile(Html h, JsonObject session, UiLocale l, Dictionary<string, string> titles)
    {
        var identity = session["identity"] as JsonObject;
        h.Element("h2", l["welcome.profile"], ("id", "profile"));
        h.Open("dl", ("class", "facts"), ("aria-labelledby", "profile"));
        Fact(h, l["welcome.identity_id"], identity?["id"]?.ToString());
        if (identity?["traits"] is JsonObject traits)
            foreach (var (key, value) in Flatten(traits, ""))
                if (value.Length > 0) Fact(h, titles.GetValueOrDefault(key, key), value);
        h.Close("dl");
    }

    private static void ThisSession(Html h, JsonObject session, UiLocale l)
    {
        h.Element("h2", l["welcome.session"], ("id", "this-session"));
        h.Open("dl", ("class", "facts"), ("aria-labelledby", "this-session"));
        var aal = session["authenticator_assurance_level"]?.ToString() ?? "aal1";
        Fact(h, l["welcome.aal"], l.Has("welcome.aal." + aal) ? l["welcome.aal." + aal] : aal, "aal");
        Fact(h, l["welcome.authenticated_at"], Time(session["authenticated_at"]));
        Fact(h, l["welcome.expires_at"], Time(session["expires_at"]));
        if (session["authentication_methods"] is JsonArray methods)
            Fact(h, l["welcome.methods"], string.Join(", ", methods.Select(m => m?["method"]?.ToString()).Where(m => m is not null).Distinct()));
        h.Close("dl");
    }

    private void Sessions(Html h, HttpContext ctx, JsonArray list, string? current, UiLocale l)
    {
        h.Element("h2", l["welcome.sessions"], ("id", "sessions"));
        var others = list.OfType<JsonObject>().Where(s => s["id"]?.ToString() != current).ToList();
        if (others.Count == 0)
        {
            h.Element("p", l["welcome.sessions.none"]);
            return;
        }
        var token = CsrfTokens.Mask(csrf.Ensure(ctx));
        h.Open("ul", ("class", "sessions"), ("aria-labelledby", "sessions"));
        foreach (var s in others)
        {
            var device = (s["devices"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
            var factsId = Html.Id("session-" + s["id"]);
            h.Open("li", ("data-session-id", s["id"]?.ToString()));
            h.Open("dl", ("class", "facts"), ("id", factsId));
            Fact(h, l["welcome.sessions.device"], device?["user_agent"]?.ToString() is { Length: > 0 } ua ? ua : l["welcome.unknown_device"]);
            Fact(h, l["welcome.sessions.since"], Time(s["authenticated_at"]));
            h.Close("dl");
            h.Open("form", ("method", "post"), ("action", "/ui/welcome/sessions/revoke"));
            h.Void("input", ("type", "hidden"), ("name", "csrf_token"), ("value", token));
            h.Void("input", ("type", "hidden"), ("name", "session_id"), ("value", s["id"]?.ToString()));
            // Every button reads the same; the description says which device it signs out.
            h.Element("button", l["welcome.sessions.revoke"], ("type", "submit"), ("class", "btn small"), ("aria-describedby", factsId));
            h.Close("form").Close("li");
        }
        h.Close("ul");
    }

    private static void Fact(Html h, string term, string? value, string? id = null)
    {
        if (value is null) return;
        h.Element("dt", term).Element("dd", value, ("id", id));
    }

    /// <summary>Nested traits (name.first) as dotted keys; arrays joined, so any schema renders.</summary>
    internal static IEnumerable<(string Key, string Value)> Flatten(JsonObject o, string prefix)
    {
        foreach (var (key, value) in o)
        {
            var path = prefix + key;
            switch (value)
            {
                case JsonObject child:
                    foreach (var kv in Flatten(child, path + ".")) yield return kv;
                    break;
                case JsonArray a:
                    yield return (path, string.Join(", ", a.Select(v => v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : v?.ToJsonString())));
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    yield return (path, v.GetValue<string>());
                    break;
                case not null:
                    yield return (path, value.ToJsonString());
                    break;
            }
        }
    }

    private static string? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : null;
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;
using Warden.WebUi.Pages;
using Warden.WebUi.Render;

namespace Warden.WebUi;

/// <summary>
/// The built-in self-service UI under <c>/ui/</c> on the public port: flow pages, error, welcome, and
/// <c>/</c>. The flows' default <c>ui_url</c>s and the default return URL point here
/// (<see cref="SelfService.SelfServiceUrls"/>); an operator who configures their own UI URLs gets no
/// links to these pages, though they stay reachable.
/// </summary>
public sealed class WebUiFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        // Resolved now so a bad warden.ui.* value stops startup naming its key.
        services.AddSingleton(WebUiOptions.From(config));
        services.AddSingleton(UiCatalog.LoadEmbedded());
        services.AddSingleton<UiAssets>();
        services.AddSingleton<WardenApi>();
        services.AddSingleton<Layout>();
        services.AddSingleton<FlowPages>();
        services.AddSingleton<ErrorPage>();
        services.AddSingleton<WelcomePage>();
    }

    public void MapPublic(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", RootAsync).WithName("webUiRoot");
        routes.MapGet("/ui", RootAsync);
        routes.MapGet("/ui/", RootAsync);
        foreach (var type in FlowPages.Types)
            routes.MapGet("/ui/" + type, (HttpContext ctx, FlowPages pages) => pages.HandleAsync(ctx, type));
        routes.MapGet("/ui/error", (HttpContext ctx, ErrorPage page) => page.HandleAsync(ctx));
        routes.MapGet("/ui/welcome", (HttpContext ctx, WelcomePage page) => page.HandleAsync(ctx));
        routes.MapPost("/ui/welcome/sessions/revoke", (HttpContext ctx, WelcomePage page) => page.RevokeAsync(ctx));
        routes.MapMethods("/ui/assets/{file}", ["GET", "HEAD"], (HttpContext ctx, string file, UiAssets assets) => assets.ServeAsync(ctx, file));
        routes.MapGet("/ui/{*rest}", (HttpContext ctx, Layout layout, UiCatalog catalog) =>
            NotFoundPage.WriteAsync(ctx, layout, catalog.For(ctx.Request.Headers.AcceptLanguage)));
    }

    /// <summary><c>/</c>: signed-in users to their account page, everyone else to sign in.</summary>
    private static async Task RootAsync(HttpContext ctx, WardenApi api)
    {
        var who = await api.GetAsync(ctx, "/sessions/whoami");
        await Redirect.SeeOtherAsync(ctx, who.Ok ? "/ui/welcome" : "/ui/login");
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace Warden.Methods;

/// <summary>Every method Warden knows. Adding a method is its folder plus one line here.</summary>
internal static class MethodsCatalog
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<Password.PasswordPolicy>();
        services.AddSingleton<Password.BreachChecker>();
        services.AddSingleton<ILoginMethod, Password.PasswordLogin>();
        services.AddSingleton<IRegistrationMethod, Password.PasswordRegistration>();
        services.AddSingleton<MethodRegistry>();
        services.AddSingleton<ISettingsMethod, Profile.ProfileSettings>();
        services.AddSingleton<ISettingsMethod, Password.PasswordSettings>();
        services.AddSingleton<SettingsMethodRegistry>();
        services.AddSingleton<IAddressFlowMethod, Code.CodeAddressMethod>();
        services.AddSingleton<IAddressFlowMethod, Link.LinkAddressMethod>();
        services.AddSingleton<AddressMethodRegistry>();
    }
}

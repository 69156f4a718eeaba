namespace Warden;

/// <summary>Every feature, in registration order (later features may depend on earlier ones' services).</summary>
public static class Features
{
    public static IReadOnlyList<IWardenFeature> All { get; } =
    [
        new Persistence.PersistenceFeature(),
        new Hashing.HashingFeature(),
        new Schemas.SchemasFeature(),
        new Identities.IdentitiesFeature(),
        new Sessions.SessionsFeature(),
        new Courier.CourierFeature(),
        new SelfService.SelfServiceFeature(),
        new SelfService.Settings.SettingsFeature(),
        new SelfService.Verification.VerificationFeature(),
        new SelfService.Recovery.RecoveryFeature(),
        new WebUi.WebUiFeature(),
        new Observability.ObservabilityFeature(),
    ];
}

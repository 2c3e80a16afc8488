namespace Pdsno.Grains.Security;

/// <summary>Which tenant runs PDSNO itself (section <c>Security</c>).</summary>
public sealed class TenancyOptions
{
    /// <summary>The provider tenant: its unscoped admins create the other tenants.</summary>
    public string ProviderTenant { get; set; } = "default";
}

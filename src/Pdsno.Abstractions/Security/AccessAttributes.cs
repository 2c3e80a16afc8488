namespace Pdsno.Abstractions.Security;

/// <summary>
/// The role a caller from outside the cluster (the API, the host) needs to call a grain method. Calls between
/// grains are trusted. A method of a PDSNO grain interface without any access attribute can only be called by
/// grains or by PDSNO itself (<see cref="Caller.System"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresAttribute(Roles role) : Attribute
{
    /// <summary>The role needed.</summary>
    public Roles Role { get; } = role;

    /// <summary>The method acts on the whole tenant, so a token limited to regions may not call it.</summary>
    public bool TenantWide { get; init; }

    /// <summary>
    /// The grain's key does not start with the tenant (it is found by another id); the grain itself checks that the
    /// caller's tenant owns it.
    /// </summary>
    public bool GrainChecksTenant { get; init; }
}

/// <summary>Anyone may call the method, even without a caller: it only answers whether a credential is valid.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AnyCallerAttribute : Attribute;

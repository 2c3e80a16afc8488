using Pdsno.Abstractions.Changes;

namespace Pdsno.Storage.ReadModel;

/// <summary>A governed change as the read model holds it: its key and the whole change.</summary>
public sealed record ChangeRecord(string Key, ChangeView Change);

/// <summary>
/// Which changes a list shows; every criterion is optional and they combine with AND. <see cref="Scope"/> is the
/// caller's regions (null: all): a change shows only when every region it touches is in it.
/// </summary>
public sealed record ChangeQuery(string? Status = null, string? Region = null, string? Device = null, IReadOnlyCollection<string>? Scope = null);

/// <summary>A change a silo may have left halfway, or a lock it left behind (<see cref="LockedDevice"/>).</summary>
public sealed record ChangeToResume(string Tenant, string Change, string? LockedDevice);

using Pdsno.Abstractions.Intents;

namespace Pdsno.Storage.ReadModel;

/// <summary>An intent as the read model holds it: its key and the whole intent.</summary>
public sealed record IntentRecord(string Key, IntentView Intent);

/// <summary>
/// Which intents a list shows; every criterion is optional and they combine with AND. <see cref="Scope"/> is the
/// caller's regions (null: all): an intent shows only when the regions of its endpoints are all in it.
/// </summary>
public sealed record IntentQuery(string? Kind = null, string? Status = null, string? Region = null, string? Device = null, IReadOnlyCollection<string>? Scope = null);

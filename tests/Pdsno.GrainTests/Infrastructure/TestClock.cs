namespace Pdsno.GrainTests.Infrastructure;

/// <summary>The system clock, moved forward by <see cref="Offset"/> while a test needs time to have passed.</summary>
public sealed class TestClock : TimeProvider
{
    /// <summary>How far ahead of the system clock this one runs.</summary>
    public TimeSpan Offset { get; set; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

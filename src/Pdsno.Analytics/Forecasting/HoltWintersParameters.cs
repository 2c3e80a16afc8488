namespace Pdsno.Analytics.Forecasting;

/// <summary>The smoothing weights of a double-seasonal Holt-Winters model, each in [0, 1].</summary>
/// <param name="Alpha">How fast the level follows the data.</param>
/// <param name="Beta">How fast the trend follows the level.</param>
/// <param name="Gamma">How fast the daily season follows the data.</param>
/// <param name="Delta">How fast the weekly season follows the data.</param>
public sealed record HoltWintersParameters(double Alpha, double Beta, double Gamma, double Delta)
{
    /// <summary>The weights a fit chooses from: few enough that fitting thousands of series stays cheap.</summary>
    public static IReadOnlyList<HoltWintersParameters> Grid { get; } =
    [
        .. from a in new[] { 0.01, 0.05, 0.2 }
           from b in new[] { 0.0, 0.01 }
           from g in new[] { 0.05, 0.2 }
           from d in new[] { 0.02, 0.1 }
           select new HoltWintersParameters(a, b, g, d),
    ];
}

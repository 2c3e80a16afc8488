namespace Pdsno.Analytics.Forecasting;

/// <summary>One step of a forecast: the expected value and the prediction interval around it.</summary>
public readonly record struct ForecastBand(double Expected, double Lower, double Upper);

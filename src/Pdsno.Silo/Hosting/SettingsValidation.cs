using Microsoft.Extensions.Options;

namespace Pdsno.Silo.Hosting;

/// <summary>Checks every setting each feature registered for checking at start, before the database or a port is touched.</summary>
public static class SettingsValidation
{
    /// <summary>
    /// Runs the features' option validators (<c>ValidateOnStart</c>) now, so that a bad setting stops the start with a
    /// message naming the key even when the database named by the connection string is out of reach.
    /// </summary>
    public static void ValidatePdsnoSettings(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            throw new StartupException(string.Join(Environment.NewLine, ex.Failures), ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw new StartupException(string.Join(Environment.NewLine, ex.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)), ex);
        }
    }
}

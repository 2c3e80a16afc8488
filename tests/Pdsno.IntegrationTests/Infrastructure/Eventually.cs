namespace Pdsno.IntegrationTests.Infrastructure;

/// <summary>Polls a condition until it holds; discovery is asynchronous by nature.</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}; last seen: {last}");
            }

            await Task.Delay(250);
            last = await probe();
        }

        return last;
    }
}

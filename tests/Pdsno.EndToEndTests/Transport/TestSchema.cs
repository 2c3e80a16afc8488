using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Types;
using Microsoft.AspNetCore.Http;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Security;

namespace Pdsno.EndToEndTests.Transport;

/// <summary>A small schema of the tests' own: queries, a mutation and a subscription fed by <see cref="EventFeed"/>.</summary>
public sealed class TestSchema : Schema
{
    public TestSchema(IServiceProvider services, EventFeed feed)
        : base(services)
    {
        Query = new TestQuery();
        Mutation = new TestMutation();
        Subscription = new TestSubscription(feed);
    }
}

/// <summary>Query root of the test schema.</summary>
public sealed class TestQuery : ObjectGraphType
{
    private static readonly ConditionalWeakTable<RequestLoaders, object> LoaderNumbers = new();
    private static int _lastLoaderNumber;

    public TestQuery()
    {
        Name = "Query";
        Field<StringGraphType>("hello").Resolve(_ => "world");
        Field<StringGraphType>("tenant").Resolve(context => ((PdsnoUserContext)context.UserContext).Tenant);
        Field<StringGraphType>("echo")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Resolve(context => context.GetArgument<string>("text"));
        Field<StringGraphType>("broken").Resolve(_ => throw new ExecutionError("broken on purpose"));
        Field<IntGraphType>("loaders")
            .Description("A number that names the batch loaders this operation resolves with.")
            .Resolve(context => LoaderNumbers.GetValue(RequestLoaders.For(context), _ => Interlocked.Increment(ref _lastLoaderNumber)));
    }
}

/// <summary>Mutation root of the test schema.</summary>
public sealed class TestMutation : ObjectGraphType
{
    public TestMutation()
    {
        Name = "Mutation";
        Field<StringGraphType>("shout")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Resolve(context => context.GetArgument<string>("text").ToUpperInvariant());
    }
}

/// <summary>Subscription root of the test schema.</summary>
public sealed class TestSubscription : ObjectGraphType
{
    public TestSubscription(EventFeed feed)
    {
        Name = "Subscription";
        Field<StringGraphType>("events")
            .Argument<NonNullGraphType<StringGraphType>>("topic")
            .ResolveStream(context => feed.Topic(context.GetArgument<string>("topic")));
    }
}

/// <summary>Events the tests push to subscribers, one independent stream per topic so tests do not see each other's events.</summary>
public sealed class EventFeed
{
    private readonly ConcurrentDictionary<string, TopicStream> _topics = new(StringComparer.Ordinal);

    public IObservable<string?> Topic(string name) => _topics.GetOrAdd(name, _ => new TopicStream());

    public void Publish(string topic, string value) => ((TopicStream)Topic(topic)).Publish(value);

    public void Complete(string topic) => ((TopicStream)Topic(topic)).Complete();

    public int SubscriberCount(string topic) => ((TopicStream)Topic(topic)).Count;

    public async Task WaitForSubscribersAsync(string topic, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (SubscriberCount(topic) != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Topic {topic} has {SubscriberCount(topic)} subscribers, expected {count}.");
            }

            await Task.Delay(10);
        }
    }

    private sealed class TopicStream : IObservable<string?>
    {
        private readonly Lock _lock = new();
        private readonly List<IObserver<string?>> _observers = [];

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _observers.Count;
                }
            }
        }

        public IDisposable Subscribe(IObserver<string?> observer)
        {
            lock (_lock)
            {
                _observers.Add(observer);
            }

            return new Unsubscriber(this, observer);
        }

        public void Publish(string value)
        {
            foreach (var observer in Snapshot())
            {
                observer.OnNext(value);
            }
        }

        public void Complete()
        {
            foreach (var observer in Snapshot())
            {
                observer.OnCompleted();
            }
        }

        private IObserver<string?>[] Snapshot()
        {
            lock (_lock)
            {
                return [.. _observers];
            }
        }

        private void Remove(IObserver<string?> observer)
        {
            lock (_lock)
            {
                _observers.Remove(observer);
            }
        }

        private sealed class Unsubscriber(TopicStream stream, IObserver<string?> observer) : IDisposable
        {
            public void Dispose() => stream.Remove(observer);
        }
    }
}

/// <summary>Tenant from the connection_init payload ("tenant") or the X-Tenant header; "reject": true or X-Reject refuses the caller.</summary>
public sealed class TestUserContextFactory : IPdsnoUserContextFactory
{
    public ValueTask<PdsnoUserContext> CreateAsync(HttpContext httpContext, IReadOnlyDictionary<string, object?>? initPayload, CancellationToken cancellationToken)
    {
        if ((initPayload is not null && initPayload.TryGetValue("reject", out var reject) && reject is true)
            || httpContext.Request.Headers.ContainsKey("X-Reject"))
        {
            throw new AuthenticationRequiredException("rejected by the test factory");
        }

        var tenant = initPayload is not null && initPayload.TryGetValue("tenant", out var fromInit) ? fromInit as string : null;
        tenant ??= httpContext.Request.Headers["X-Tenant"].FirstOrDefault() ?? "default";
        return ValueTask.FromResult(new PdsnoUserContext { Caller = new Caller(tenant, "0000000000000000", "test", Roles.Admin, []) });
    }
}

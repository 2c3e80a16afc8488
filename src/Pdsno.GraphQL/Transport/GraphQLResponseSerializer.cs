using System.Buffers;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;

namespace Pdsno.GraphQL.Transport;

/// <summary>
/// GraphQL.NET's System.Text.Json serializer that can also write a result straight into a buffer writer (a response
/// pipe), so that a large result never passes through one contiguous buffer.
/// </summary>
internal sealed class GraphQLResponseSerializer : GraphQLSerializer
{
    private readonly JsonWriterOptions _writerOptions;

    public GraphQLResponseSerializer(IErrorInfoProvider errorInfoProvider)
        : base(errorInfoProvider)
    {
        _writerOptions = new JsonWriterOptions
        {
            Encoder = SerializerOptions.Encoder,
            Indented = SerializerOptions.WriteIndented,
            MaxDepth = SerializerOptions.MaxDepth,
            SkipValidation = true,
        };
    }

    /// <summary>Writes <paramref name="result"/> as JSON to <paramref name="output"/> (which the caller then flushes).</summary>
    public void Write(IBufferWriter<byte> output, ExecutionResult result)
    {
        using var writer = new Utf8JsonWriter(output, _writerOptions);
        JsonSerializer.Serialize(writer, result, SerializerOptions);
    }
}

using System.Text;

namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>A WebSocket close code and reason: why a connection ends, or why its connection_init was refused.</summary>
internal sealed record GraphQLWsClose(int Code, string? Reason)
{
    /// <summary>A close whose reason fits the close frame: at most 123 UTF-8 bytes, cut with "..." when longer.</summary>
    public static GraphQLWsClose Create(int code, string? reason)
    {
        if (reason is null || Encoding.UTF8.GetByteCount(reason) <= 123)
        {
            return new GraphQLWsClose(code, reason);
        }

        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > 120)
        {
            length--;
        }

        return new GraphQLWsClose(code, string.Concat(reason.AsSpan(0, length), "..."));
    }
}

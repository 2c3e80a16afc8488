// The console's only way to the server: the public GraphQL API over HTTP and graphql-transport-ws,
// with the token the user signed in with (kept in sessionStorage, sent in a header, never in a URL).

const TokenKey = "pdsno.token";
const endpoint = new URL("/graphql", location.href);

export const session = {
  get token() { return sessionStorage.getItem(TokenKey); },
  set token(value) { value ? sessionStorage.setItem(TokenKey, value) : sessionStorage.removeItem(TokenKey); },
};

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** Runs a query or mutation; resolves with data, rejects with an ApiError naming the server's message and code. */
export async function gql(query, variables = {}) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      authorization: `Bearer ${session.token ?? ""}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => null);
  const errors = body?.errors ?? [];
  if (response.status === 401 || errors.some(e => e.extensions?.code === "UNAUTHENTICATED")) {
    throw new ApiError(errors[0]?.message ?? "The token was not accepted.", "UNAUTHENTICATED");
  }
  if (errors.length > 0) {
    throw new ApiError(errors.map(e => e.message).join("; "), errors[0].extensions?.code);
  }
  if (!response.ok || !body?.data) {
    throw new ApiError(`The server answered ${response.status}.`, "HTTP");
  }
  return body.data;
}

/** A mutation payload's first user error as an ApiError, or its value. */
export function payload(data) {
  const value = Object.values(data)[0];
  if (value?.errors?.length) {
    throw new ApiError(value.errors.map(e => e.message).join("; "), value.errors[0].code);
  }
  return value;
}

/**
 * One subscription that survives dropped connections: it reconnects with backoff and resubscribes with
 * `since` set to the last sequence it delivered, so the durable log fills the gap and nothing repeats.
 */
export class LiveSubscription {
  constructor(query, variables, onEvent, onState) {
    Object.assign(this, { query, variables, onEvent, onState, attempt: 0, stopped: false });
  }

  start(since) {
    this.since = since;
    this.connect();
    return this;
  }

  connect() {
    const url = new URL(endpoint);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url, "graphql-transport-ws");
    this.ws = ws;
    const send = message => ws.send(JSON.stringify(message));
    ws.onopen = () => send({ type: "connection_init", payload: { authorization: `Bearer ${session.token ?? ""}` } });
    ws.onmessage = message => {
      const msg = JSON.parse(message.data);
      if (msg.type === "connection_ack") {
        this.attempt = 0;
        // Live once subscribed, not merely connected: what the header says is what the server has been asked.
        send({ id: "1", type: "subscribe", payload: { query: this.query, variables: { ...this.variables, since: this.since } } });
        this.onState("live");
      } else if (msg.type === "ping") {
        send({ type: "pong" });
      } else if (msg.type === "next" && msg.payload?.data) {
        const event = Object.values(msg.payload.data)[0];
        if (event.sequence > this.since) {
          this.since = event.sequence;
          this.onEvent(event);
        }
      } else if (msg.type === "error") {
        this.onState("error", msg.payload?.[0]?.message);
      }
    };
    ws.onclose = close => {
      if (this.stopped || ws !== this.ws) {
        return;
      }
      if (close.code === 4401 || close.code === 4403) {
        this.onState("unauthorized", close.reason);
        return;
      }
      this.onState("reconnecting");
      const delay = Math.min(5000, 200 * 2 ** this.attempt++);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000);
  }
}

/** The newest event sequence the token sees (of these types): where a live view that has just read the read model starts following. */
export async function newestSequence(regionId, types = null) {
  const data = await gql("query($r: ID, $t: [TopologyEventType!]) { events(last: 1, regionId: $r, types: $t) { edges { node { sequence } } } }", { r: regionId ?? null, t: types });
  return data.events.edges[0]?.node.sequence ?? 0;
}

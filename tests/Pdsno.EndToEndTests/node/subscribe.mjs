// Drives the PDSNO server with the reference graphql-ws client. Usage: node subscribe.mjs <ws-url> <topic> <tenant>
// Prints one JSON line per event: {"kind": "...", "payload": ...}; exits 0 when done, 1 on any error.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, topic, tenant] = process.argv.slice(2);
const print = (kind, payload) => process.stdout.write(JSON.stringify({ kind, payload }) + '\n');

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { tenant },
  retryAttempts: 0,
  lazy: false,
  on: { connected: () => print('connected') },
});

function run(request, onNext) {
  return new Promise((resolve, reject) => {
    let dispose = () => {};
    dispose = client.subscribe(request, {
      next: (value) => onNext(value, () => { dispose(); resolve('cancelled'); }),
      error: (error) => reject(error),
      complete: () => resolve('complete'),
    });
  });
}

try {
  // A query over the socket: one next, then complete.
  const queryEnd = await run({ query: '{ tenant }' }, (value) => print('query', value));
  print('query-end', queryEnd);

  // A subscription the server completes: every event, then complete.
  print('subscribing', 'server-completes');
  const serverEnd = await run(
    { query: 'subscription ($topic: String!) { events(topic: $topic) }', variables: { topic } },
    (value) => print('next', value),
  );
  print('subscription-end', serverEnd);

  // A subscription the client completes after its first event.
  print('subscribing', 'client-completes');
  const clientEnd = await run(
    { query: 'subscription ($topic: String!) { events(topic: $topic) }', variables: { topic: topic + '-2' } },
    (value, cancel) => { print('next-2', value); cancel(); },
  );
  print('subscription-end', clientEnd);

  await client.dispose();
  process.exit(0);
} catch (error) {
  print('error', error instanceof Error ? error.message : (error?.code ? `close ${error.code} ${error.reason}` : error));
  process.exit(1);
}

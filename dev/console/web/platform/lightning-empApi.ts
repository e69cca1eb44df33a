/**
 * `lightning/empApi` for the console: platform-event and change-event subscriptions over the
 * console server's event stream (the org's streaming API behind it).
 */

export interface EmpSubscription {
  id: string;
  channel: string;
  replayId: number;
}

const sources = new Map<string, EventSource>();
const errorHandlers: ((error: unknown) => void)[] = [];
let next = 0;

function reportError(error: unknown): void {
  for (const handler of errorHandlers) handler(error);
}

export function subscribe(
  channel: string,
  replayId: number,
  onMessage: (message: unknown) => void,
): Promise<EmpSubscription> {
  return new Promise((resolve, reject) => {
    const id = `sub${++next}`;
    const source = new EventSource(`/api/stream?channel=${encodeURIComponent(channel)}`);
    let ready = false;
    source.addEventListener('ready', () => {
      ready = true;
      sources.set(id, source);
      resolve({ id, channel, replayId });
    });
    source.onmessage = (event: MessageEvent<string>) => {
      onMessage(JSON.parse(event.data));
    };
    source.onerror = () => {
      if (!ready) {
        source.close();
        const error = { channel, error: 'The subscription could not be made.' };
        reportError(error);
        reject(new Error(`Could not subscribe to ${channel}.`));
      } else if (source.readyState === EventSource.CLOSED) {
        reportError({ channel, error: 'The connection closed.' });
      }
      // While CONNECTING the browser reconnects by itself, as CometD does.
    };
  });
}

export function unsubscribe(subscription: EmpSubscription): Promise<boolean> {
  const source = sources.get(subscription.id);
  source?.close();
  sources.delete(subscription.id);
  return Promise.resolve(!!source);
}

export function onError(callback: (error: unknown) => void): void {
  errorHandlers.push(callback);
}

export function isEmpEnabled(): Promise<boolean> {
  return Promise.resolve(typeof EventSource !== 'undefined');
}

export function setDebugFlag(_flag: boolean): Promise<void> {
  return Promise.resolve();
}

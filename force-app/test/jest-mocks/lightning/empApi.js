// Stand-in for lightning/empApi (the streaming API cannot be reached from Jest): it keeps the
// subscriptions the component makes and lets a test deliver an event to them.
const handlers = new Map();
let nextId = 0;

export const subscribe = jest.fn((channel, replayId, onMessage) => {
  nextId += 1;
  const subscription = { id: `sub-${nextId}`, channel, replayId };
  handlers.set(subscription.id, { channel, onMessage });
  return Promise.resolve(subscription);
});

export const unsubscribe = jest.fn((subscription, callback) => {
  handlers.delete(subscription.id);
  if (callback) callback({ successful: true });
  return Promise.resolve({ successful: true });
});

export const onError = jest.fn();
export const setDebugFlag = jest.fn(() => Promise.resolve());
export const isEmpEnabled = jest.fn(() => Promise.resolve(true));

export function jestMockPublish(channel, payload) {
  let delivered = false;
  for (const { channel: subscribed, onMessage } of handlers.values()) {
    if (subscribed === channel) {
      onMessage({ channel, data: { schema: 'test-schema', payload, event: { replayId: 1 } } });
      delivered = true;
    }
  }
  return Promise.resolve(delivered);
}

export function jestMockSubscriptions() {
  return [...handlers.values()].map((h) => h.channel);
}

/**
 * `lightning/refresh` for the console: a RefreshEvent dispatched anywhere on the page runs every
 * registered refresh handler, as the record page's refresh container does.
 */
type Handler = () => boolean | Promise<boolean>;

const handlers = new Map<number, Handler>();
let nextId = 0;

export const REFRESH_EVENT = 'lightning__refreshevent';

export class RefreshEvent extends CustomEvent<unknown> {
  constructor() {
    super(REFRESH_EVENT, { bubbles: true, composed: true, cancelable: true, detail: {} });
  }
}

export function registerRefreshHandler(_element: unknown, handler: Handler): number {
  handlers.set(++nextId, handler);
  return nextId;
}

export function unregisterRefreshHandler(id: number): void {
  handlers.delete(id);
}

/** Called by the console page when a RefreshEvent reaches it. */
export async function runRefreshHandlers(): Promise<void> {
  await Promise.all([...handlers.values()].map((h) => Promise.resolve(h())));
}

export const RefreshHandlerMixin = <T>(Base: T): T => Base;

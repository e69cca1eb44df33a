/**
 * What the console's stand-ins for Lightning Data Service share: requests to the console server
 * (which answers from the org), errors in LDS's FetchResponse shape, wire adapters that re-emit
 * only when their data changes, and the registry that `refreshApex`, `refresh()` and
 * `notifyRecordUpdateAvailable` use.
 */

export interface FetchResponse {
  status: number;
  statusText: string;
  ok: false;
  headers: Record<string, string>;
  body: unknown;
}

export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const failure: FetchResponse = {
      status: 0,
      statusText: 'Network error',
      ok: false,
      headers: {},
      body: {
        message: error instanceof Error ? error.message : String(error),
        errorCode: 'NETWORK_ERROR',
      },
    };
    throw failure;
  }
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const failure: FetchResponse = {
      status: response.status,
      statusText: response.statusText,
      ok: false,
      headers: {},
      body: parsed,
    };
    throw failure;
  }
  return parsed as T;
}

export function query(
  params: Record<string, string | number | readonly string[] | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (text !== '') search.set(key, text);
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** Wired values → how to reload them (refreshApex / refreshGraphQL / result.refresh()). */
const refreshers = new WeakMap<object, () => Promise<void>>();

export function refreshValue(value: unknown): Promise<void> {
  const refresh = value && typeof value === 'object' ? refreshers.get(value) : undefined;
  return refresh ? refresh() : Promise.resolve();
}

const live = new Set<LdsAdapter<unknown>>();

/** Reloads every connected adapter `matches` picks; resolves when they have re-emitted. */
export async function reloadWhere(
  matches: (adapter: LdsAdapter<unknown>) => boolean,
): Promise<void> {
  await Promise.all([...live].filter(matches).map((a) => a.load()));
}

type Emit = (value: unknown) => void;

/**
 * A wire adapter: fetches when its config is complete (`ready`), emits `{data, error}` (plus what
 * `decorate` adds), and emits again only when the answer differs from the last one — as LDS does.
 */
export abstract class LdsAdapter<C> {
  config?: C;
  private connected = false;
  private last?: string;
  private seq = 0;

  constructor(private readonly emit: Emit) {}

  protected abstract ready(config: C): boolean;
  protected abstract fetch(config: C): Promise<unknown>;

  protected shape(data: unknown, error: unknown): Record<string, unknown> {
    return { data, error };
  }

  update(config: C): void {
    const same =
      this.config !== undefined && JSON.stringify(config) === JSON.stringify(this.config);
    this.config = config;
    if (this.connected && !same) void this.load();
  }

  connect(): void {
    this.connected = true;
    live.add(this as LdsAdapter<unknown>);
    if (this.config !== undefined) void this.load();
  }

  disconnect(): void {
    this.connected = false;
    live.delete(this as LdsAdapter<unknown>);
  }

  async load(): Promise<void> {
    const config = this.config;
    if (config === undefined || !this.ready(config)) return;
    const seq = ++this.seq;
    let value: Record<string, unknown>;
    try {
      value = this.shape(await this.fetch(config), undefined);
    } catch (error) {
      value = this.shape(undefined, error);
    }
    if (seq !== this.seq || !this.connected) return;
    const key = JSON.stringify(value);
    if (key === this.last) return;
    this.last = key;
    refreshers.set(value, () => this.load());
    this.emit(value);
  }
}

/** Salesforce ids compare on their first 15 characters. */
export function sameId(a: unknown, b: unknown): boolean {
  return (
    typeof a === 'string' &&
    typeof b === 'string' &&
    a.length >= 15 &&
    a.slice(0, 15) === b.slice(0, 15)
  );
}

/** `{objectApiName, fieldApiName}` (a `@salesforce/schema` import) or `Obj.Field` → `Obj.Field`. */
export function fieldName(field: unknown): string {
  if (typeof field === 'string') return field;
  const f = field as { objectApiName?: string; fieldApiName?: string } | null;
  return f?.objectApiName && f.fieldApiName ? `${f.objectApiName}.${f.fieldApiName}` : '';
}

export function objectName(object: unknown): string {
  if (typeof object === 'string') return object;
  return (object as { objectApiName?: string } | null)?.objectApiName ?? '';
}

export function fieldList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(fieldName).filter(Boolean);
}

/**
 * Client of the Aircall public REST API (https://api.aircall.io/v1, HTTP Basic with the API id and
 * token): contacts for "save to phone", calls for backfill, user availability for the
 * Omni-Channel mapping. Aircall allows 60 requests a minute per company, so numbers already saved
 * are remembered and never pushed twice.
 */

/** A contact to save (the engine's `SaveToPhone` is one). */
export interface AircallContact {
  number: string; // E.164
  firstName?: string;
  lastName?: string;
  companyName?: string;
  salesforceId?: string;
}

/** The settings the client is made from (src/config's aircallApiId, aircallApiToken, aircallApiUrl). */
export interface AircallApiSettings {
  aircallApiId?: string | null | undefined;
  aircallApiToken?: string | null | undefined;
  aircallApiUrl: string;
}

export interface AircallApiConfig {
  baseUrl: string; // https://api.aircall.io
  apiId: string;
  apiToken: string;
}

export interface CallsPage {
  calls: Record<string, unknown>[];
  meta: {
    total?: number;
    count?: number;
    current_page?: number;
    per_page?: number;
    next_page_link?: string | null;
  };
}

export interface AircallUser {
  id: number | string;
  email: string | null;
  name?: string;
  availability_status?: string;
}

export class AircallApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** On 429: when Aircall's window resets (epoch ms, from X-AircallApi-Reset), if it said. */
    readonly resetAt: number | null = null,
  ) {
    super(message);
  }
}

export class AircallApi {
  private readonly saved = new Set<string>();

  constructor(readonly config: AircallApiConfig) {}

  /** From AIRCALL_API_ID, AIRCALL_API_TOKEN and AIRCALL_API_URL (src/config); null without both. */
  static fromConfig(config: AircallApiSettings): AircallApi | null {
    if (!config.aircallApiId || !config.aircallApiToken) return null;
    return new AircallApi({
      baseUrl: config.aircallApiUrl,
      apiId: config.aircallApiId,
      apiToken: config.aircallApiToken,
    });
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.config.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${this.config.apiId}:${this.config.apiToken}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) {
      const reset = Number(response.headers.get('x-aircallapi-reset'));
      throw new AircallApiError(
        `Aircall API ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`,
        response.status,
        Number.isFinite(reset) && reset > 0 ? reset * 1000 : null,
      );
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Creates the Aircall contact for a number unless Aircall already has one. */
  async saveContact(contact: AircallContact): Promise<'created' | 'exists'> {
    if (this.saved.has(contact.number)) return 'exists';
    const found = await this.send<{ contacts?: unknown[] }>(
      'GET',
      `/v1/contacts/search?phone_number=${encodeURIComponent(contact.number)}`,
    );
    if ((found.contacts ?? []).length > 0) {
      this.saved.add(contact.number);
      return 'exists';
    }
    await this.send('POST', '/v1/contacts', {
      first_name: contact.firstName ?? '',
      last_name: contact.lastName ?? contact.number,
      company_name: contact.companyName ?? '',
      information: contact.salesforceId ? `Salesforce record ${contact.salesforceId}` : undefined,
      phone_numbers: [{ label: 'Work', value: contact.number }],
    });
    this.saved.add(contact.number);
    return 'created';
  }

  async setAvailability(
    userId: string,
    status: 'available' | 'unavailable' | 'custom',
    substatus?: string,
  ): Promise<void> {
    await this.send('PUT', `/v1/users/${encodeURIComponent(userId)}`, {
      availability_status: status,
      ...(substatus ? { substatus } : {}),
    });
  }

  /**
   * Every user of the company (`GET /v1/users`, 50 a page, following `meta.next_page_link`). Each
   * page is one request against the 60-a-minute limit (`beforeRequest` lets a caller pace them);
   * callers cache the result.
   */
  async listUsers(
    options: { perPage?: number; beforeRequest?: () => Promise<void> } = {},
  ): Promise<AircallUser[]> {
    const perPage = options.perPage ?? 50;
    const users: AircallUser[] = [];
    for (let page = 1; page <= 1000; page++) {
      await options.beforeRequest?.();
      const body = await this.send<{
        users?: AircallUser[];
        meta?: { next_page_link?: string | null };
      }>('GET', `/v1/users?page=${page}&per_page=${perPage}`);
      users.push(...(body.users ?? []));
      if (!body.meta?.next_page_link || (body.users ?? []).length === 0) break;
    }
    return users;
  }

  /** One page of `GET /v1/calls` (Aircall keeps 6 months; a listing stops at 10,000 results). */
  async listCalls(fromS: number, toS: number, page: number, perPage = 50): Promise<CallsPage> {
    return this.send<CallsPage>(
      'GET',
      `/v1/calls?from=${fromS}&to=${toS}&page=${page}&per_page=${perPage}&order=asc`,
    );
  }
}

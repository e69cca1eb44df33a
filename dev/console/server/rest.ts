/**
 * The console's REST calls to the org: plain `fetch` with the session's bearer token, errors kept
 * in Salesforce's shape (`[{message, errorCode, fields}]`) so the UI API layer can translate them.
 */
export interface OrgSession {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
}

export interface RestErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: RestErrorItem[],
  ) {
    super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; ') || `HTTP ${status}`);
  }
}

export class Rest {
  /** REST requests made, for the console's cost line in the README and tests. */
  requests = 0;

  constructor(readonly session: OrgSession) {}

  url(rest: string): string {
    return `${this.session.instanceUrl}/services/data/v${this.session.apiVersion}${rest}`;
  }

  async call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    rest: string,
    body?: unknown,
  ): Promise<T> {
    this.requests++;
    const response = await fetch(rest.startsWith('http') ? rest : this.url(rest), {
      method,
      headers: {
        authorization: `Bearer ${this.session.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const errors = Array.isArray(parsed)
        ? (parsed as RestErrorItem[])
        : [{ message: text || response.statusText, errorCode: `HTTP_${response.status}` }];
      throw new RestError(response.status, errors);
    }
    return parsed as T;
  }

  async query<T = Record<string, unknown>>(
    soql: string,
  ): Promise<{ totalSize: number; records: T[] }> {
    type Page = { totalSize: number; done: boolean; records: T[]; nextRecordsUrl?: string };
    let page = await this.call<Page>('GET', `/query?q=${encodeURIComponent(soql)}`);
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = await this.call<Page>('GET', `${this.session.instanceUrl}${page.nextRecordsUrl}`);
      records.push(...page.records);
    }
    return { totalSize: page.totalSize, records };
  }
}

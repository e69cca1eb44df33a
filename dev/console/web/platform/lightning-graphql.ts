/** `lightning/graphql` for the console: the graphql wire adapter, gql and refreshGraphQL. */
import { LdsAdapter, refreshValue, request } from './lds';

interface GraphqlConfig {
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** The platform parses the query at compile time; here it stays text and the server parses it. */
export function gql(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
}

export class graphql extends LdsAdapter<GraphqlConfig> {
  protected ready(config: GraphqlConfig): boolean {
    return typeof config.query === 'string' && config.query !== '';
  }

  protected fetch(config: GraphqlConfig): Promise<unknown> {
    return request('POST', '/api/graphql', {
      query: config.query,
      variables: config.variables ?? {},
      operationName: config.operationName,
    });
  }

  protected override shape(data: unknown, error: unknown): Record<string, unknown> {
    const response = data as { data?: unknown; errors?: unknown[] } | undefined;
    const refresh = () => this.load();
    if (error) return { data: undefined, errors: [error], refresh };
    const errors = response?.errors ?? [];
    return { data: errors.length ? undefined : response?.data, errors, refresh };
  }
}

export function refreshGraphQL(result: unknown): Promise<void> {
  return refreshValue(result);
}

/** Helpers shared by the component tests (a __tests__ folder: never deployed, never built). */

/** Lets LWC re-render after wire data or a DOM event: two microtask turns. */
export function flush(): Promise<void> {
  return Promise.resolve()
    .then(() => undefined)
    .then(() => undefined);
}

/** Matches the GraphQL wire config of one operation, to emit data to that query only. */
export const onlyQuery = (name: string) => (config: Record<string, unknown>) =>
  config.operationName === name;

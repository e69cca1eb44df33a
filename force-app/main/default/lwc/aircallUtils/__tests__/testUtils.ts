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

export interface Toast {
  title: string;
  message: string;
  variant: string;
}

/** Attaches a component to the document and records the toasts it shows. */
export async function mountWithToasts(
  element: HTMLElement,
): Promise<{ element: HTMLElement; toasts: Toast[] }> {
  const toasts: Toast[] = [];
  element.addEventListener('lightning__showtoast', (e) => toasts.push((e as CustomEvent).detail));
  document.body.appendChild(element);
  await flush();
  return { element, toasts };
}

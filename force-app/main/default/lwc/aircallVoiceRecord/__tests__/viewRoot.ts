/**
 * The shadow root of the view the component shows: the call page (c-aircall-call-page) on an
 * Aircall Voice record, the related calls (c-aircall-related-calls) on other records.
 */
export function viewRoot(element: HTMLElement): ShadowRoot {
  const view = element.shadowRoot!.querySelector('c-aircall-call-page, c-aircall-related-calls');
  return view!.shadowRoot!;
}

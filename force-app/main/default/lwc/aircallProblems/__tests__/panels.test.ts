/**
 * The shared panels (loading, error, problems) as a parent component uses them: their markup is in
 * the parent's own tree (light DOM), so the parent's tests and assistive technology find it there.
 */
import { createElement } from 'lwc';
import AircallLoading from 'c/aircallLoading';
import AircallError from 'c/aircallError';
import AircallProblems from 'c/aircallProblems';
import { flush } from '../../aircallUtils/__tests__/testUtils';

function mount<T extends object>(tag: string, is: unknown, props: T): HTMLElement & T {
  const element = createElement(tag, { is: is as never }) as HTMLElement & T;
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('shared panels', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('loading: a spinner named for screen readers, in the light DOM', async () => {
    const element = mount('c-aircall-loading', AircallLoading, { label: 'Loading settings' });
    await flush();
    expect(element.shadowRoot).toBeNull();
    const spinner = element.querySelector<HTMLElement & { alternativeText: string }>(
      'lightning-spinner',
    );
    expect(spinner!.alternativeText).toBe('Loading settings');
    await expect(element).toBeAccessible();
  });

  it('error: one sentence, announced as an alert', async () => {
    const element = mount('c-aircall-error', AircallError, {
      message: 'Could not load the settings: timeout.',
    });
    await flush();
    const alert = element.querySelector('[role="alert"]')!;
    expect(alert.textContent).toBe('Could not load the settings: timeout.');
    expect(element.textContent).toBe('Could not load the settings: timeout.');
    await expect(element).toBeAccessible();
  });

  it('problems: each once, as an alert; nothing at all when there are none', async () => {
    const element = mount('c-aircall-problems', AircallProblems, {
      items: ['Busy is mapped twice.', 'No rule for Ringing.', 'Busy is mapped twice.'],
    });
    await flush();
    const items = Array.from(element.querySelectorAll('[role="alert"] li')).map(
      (li) => li.textContent,
    );
    expect(items).toEqual(['Busy is mapped twice.', 'No rule for Ringing.']);
    expect(element.querySelector('[role="status"]')).toBeNull();
    await expect(element).toBeAccessible();

    (element as unknown as { items: string[] }).items = [];
    await flush();
    expect(element.childElementCount).toBe(0);
  });

  it('warnings: a status box, not an alert', async () => {
    const element = mount('c-aircall-problems', AircallProblems, {
      items: ['The org has no Busy status.'],
      variant: 'warning',
    });
    await flush();
    expect(element.querySelector('[role="status"].slds-theme_warning li')!.textContent).toBe(
      'The org has no Busy status.',
    );
    expect(element.querySelector('[role="alert"]')).toBeNull();
    await expect(element).toBeAccessible();
  });
});

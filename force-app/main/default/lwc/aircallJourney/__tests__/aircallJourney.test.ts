import { createElement } from 'lwc';
import AircallJourney, { parseJourney } from 'c/aircallJourney';
import { flush } from '../../aircallUtils/__tests__/testUtils';

/** A call through an IVR, rung on two agents, held twice, transferred three times (one failed). */
const JOURNEY = [
  '[0:04] IVR: 1 Sales',
  '[0:06] Rang on Camille Martin',
  '[0:07] Rang on Noah Smith',
  '[0:15] Answered by Camille Martin',
  '[1:00] On hold',
  '[1:30] Resumed after 0:30',
  '[1:40] Transfer failed: Camille Martin → Noah Smith',
  '[3:20] Transferred: Camille Martin → Noah Smith',
  '[4:10] Transferred: Noah Smith → Emma Johnson',
  '[5:00] On hold',
  '[5:45] Resumed after 0:45',
  '[6:40] Ended',
].join('\n');

function mount(props: Record<string, unknown>): HTMLElement {
  const element = createElement('c-aircall-journey', { is: AircallJourney });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-aircall-journey', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows a multi-transfer call as a timeline with its path, holds and transfers', async () => {
    const element = mount({
      journey: JOURNEY,
      path: 'IVR 1 Sales › Camille Martin › Noah Smith',
      holdCount: 2,
      holdSeconds: 75,
      transferCount: 2,
    });
    await flush();
    const root = element.shadowRoot!;
    const steps = [...root.querySelectorAll('li.journey-step')];
    expect(steps).toHaveLength(12);
    expect(steps.map((s) => s.querySelector('.journey-time')!.textContent)).toEqual([
      '0:04',
      '0:06',
      '0:07',
      '0:15',
      '1:00',
      '1:30',
      '1:40',
      '3:20',
      '4:10',
      '5:00',
      '5:45',
      '6:40',
    ]);
    expect(steps[8]!.querySelector('.journey-text')!.textContent).toBe(
      'Transferred: Noah Smith → Emma Johnson',
    );
    expect(root.querySelector('.journey-holds')!.textContent).toBe(
      'On hold 2 times, 1:15 in total',
    );
    expect(root.querySelector('.journey-transfers')!.textContent).toBe('Transferred 2 times');
    expect(root.querySelector('.journey-path')!.textContent).toContain(
      'IVR 1 Sales › Camille Martin',
    );
    await expect(element).toBeAccessible();
  });

  it('gives each kind of step its icon', () => {
    expect(parseJourney(JOURNEY).map((s) => s.icon)).toEqual([
      'utility:dialing',
      'utility:ringing',
      'utility:ringing',
      'utility:call',
      'utility:pause',
      'utility:play',
      'utility:forward',
      'utility:forward',
      'utility:forward',
      'utility:pause',
      'utility:play',
      'utility:end_call',
    ]);
  });

  it('shows nothing for a call with no journey', async () => {
    const element = mount({ journey: null, path: null });
    await flush();
    expect(element.shadowRoot!.querySelector('.journey')).toBeNull();
  });
});

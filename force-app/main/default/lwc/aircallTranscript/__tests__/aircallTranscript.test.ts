import { createElement } from 'lwc';
import AircallTranscript, { COLLAPSED_BELOW_PX, parseTranscript } from 'c/aircallTranscript';
import { flush } from '../../aircallUtils/__tests__/testUtils';

/** A long conversation in the format the connector writes to Transcript__c. */
function longTranscript(lines: number): string {
  return Array.from({ length: lines }, (_, i) => {
    const t = `${Math.floor((i * 7) / 60)}:${String((i * 7) % 60).padStart(2, '0')}`;
    return i % 2
      ? `[${t}] Customer: Question ${i} about the renewal of twenty seats`
      : `[${t}] Agent (Camille Martin): Answer ${i}, the quote goes out on Friday`;
  }).join('\n');
}

function setWidth(px: number): void {
  window.matchMedia = ((query: string) => {
    const max = Number(/max-width:\s*(\d+)px/.exec(query)?.[1] ?? Infinity);
    return { matches: px <= max, media: query } as MediaQueryList;
  }) as typeof window.matchMedia;
}

function mount(transcript: string | null): HTMLElement {
  const element = createElement('c-aircall-transcript', { is: AircallTranscript });
  Object.assign(element, { transcript });
  document.body.appendChild(element);
  return element;
}

const q = (el: HTMLElement, s: string) => el.shadowRoot!.querySelector(s);
const qa = (el: HTMLElement, s: string) => [...el.shadowRoot!.querySelectorAll(s)];

describe('c-aircall-transcript', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('reads agent and customer lines, and keeps the note of a transcript too long for its field', () => {
    const { lines, notes } = parseTranscript(
      '[0:00] Agent (Camille Martin): Hello\n[0:03] Customer: Hi\n… 10 more lines: the full transcript (12 lines) is in the file "Transcript 1.txt" attached to this record.',
    );
    expect(lines.map((l) => [l.time, l.speaker, l.agent, l.text])).toEqual([
      ['0:00', 'Agent · Camille Martin', true, 'Hello'],
      ['0:03', 'Customer', false, 'Hi'],
    ]);
    expect(notes).toHaveLength(1);
  });

  it('shows a long transcript as a conversation, agent and customer apart, with their times', async () => {
    setWidth(1280);
    const element = mount(longTranscript(400));
    await flush();
    const items = qa(element, 'li.utterance');
    expect(items).toHaveLength(400);
    expect(items[0]!.classList.contains('utterance_agent')).toBe(true);
    expect(items[1]!.classList.contains('utterance_customer')).toBe(true);
    expect(items[1]!.querySelector('.utterance-speaker')!.textContent).toBe('Customer');
    expect(items[1]!.querySelector('.utterance-time')!.textContent).toBe('0:07');
    expect(items[0]!.querySelector('.utterance-speaker')!.textContent).toBe(
      'Agent · Camille Martin',
    );
  });

  it('is accessible', async () => {
    setWidth(1280);
    const element = mount(longTranscript(12));
    await flush();
    await expect(element).toBeAccessible();
  });

  it('searches in the transcript and says how many lines match, or that none does', async () => {
    setWidth(1280);
    const element = mount(longTranscript(400));
    await flush();
    const input = q(element, 'lightning-input') as HTMLInputElement;
    input.value = 'question 19';
    input.dispatchEvent(new CustomEvent('change'));
    await flush();
    // The customer asks the odd-numbered questions: 19, 191, 193, 195, 197, 199.
    expect(qa(element, 'li.utterance')).toHaveLength(6);
    expect(q(element, '.transcript-count')!.textContent).toBe('6 of 400 lines');
    input.value = 'refund';
    input.dispatchEvent(new CustomEvent('change'));
    await flush();
    expect(qa(element, 'li.utterance')).toHaveLength(0);
    expect(q(element, '.transcript-empty')!.textContent).toBe('No line contains “refund”.');
  });

  it(`starts collapsed below ${COLLAPSED_BELOW_PX} px and opens on demand`, async () => {
    setWidth(320);
    const element = mount(longTranscript(20));
    await flush();
    expect(qa(element, 'li.utterance')).toHaveLength(0);
    const toggle = q(element, 'lightning-button') as HTMLElement & { label: string };
    expect(toggle.label).toBe('Show transcript');
    toggle.click();
    await flush();
    expect(qa(element, 'li.utterance')).toHaveLength(20);
    expect((q(element, 'lightning-button') as HTMLElement & { label: string }).label).toBe(
      'Hide transcript',
    );
  });

  it('shows nothing when the call has no transcript', async () => {
    const element = mount(null);
    await flush();
    expect(q(element, '.transcript')).toBeNull();
  });
});

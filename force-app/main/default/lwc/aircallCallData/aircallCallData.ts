import type { RecordRepresentation } from 'lightning/uiRecordApi';
import type { FieldRef } from 'c/aircallUtils';

/**
 * Live refresh: while the call on screen is live (not Ended), the page re-reads its own record
 * through Lightning Data Service this often; it stops as soon as the call is final. No streaming
 * subscription, so a page costs no event delivery and no streaming client (docs/PLATFORM.md §5).
 */
export const LIVE_REFRESH_MS = 5000;
/** A related list re-reads while one of the calls it lists is live, less often. */
export const RELATED_LIVE_REFRESH_MS = 15000;
/** A call still "live" after this long is a call whose end was lost: the page stops polling. */
export const LIVE_MAX_MS = 4 * 3600_000;

/** Calls the agent may want to return: nobody spoke to the customer. */
export const CALL_BACK_TYPES: ReadonlySet<string> = new Set(['Missed', 'Abandoned', 'Voicemail']);

/** Reads a field (dotted path through relationships) from a UI API record. */
export function read(record: RecordRepresentation | undefined, ref: FieldRef): unknown {
  let current: RecordRepresentation | undefined = record;
  const parts = ref.fieldApiName.split('.');
  for (let i = 0; i < parts.length; i++) {
    const field = current?.fields[parts[i] as string];
    if (!field) return undefined;
    if (i === parts.length - 1) return field.value;
    current = (field.value ?? undefined) as RecordRepresentation | undefined;
  }
  return undefined;
}

export function text(record: RecordRepresentation | undefined, ref: FieldRef): string {
  const value = read(record, ref);
  return value === null || value === undefined ? '' : String(value);
}

/** Display value when the platform formats one (picklist labels), else the raw value. */
export function label(record: RecordRepresentation | undefined, ref: FieldRef): string {
  const field = record?.fields[ref.fieldApiName];
  if (!field) return '';
  return field.displayValue ?? (field.value === null ? '' : String(field.value));
}

/** An ISO date-time field, or null. */
export function dateTime(record: RecordRepresentation | undefined, ref: FieldRef): string | null {
  return (read(record, ref) as string | null | undefined) ?? null;
}

/** Whether a call is still going on: not Ended. A call whose status is unknown is not polled. */
export function isLive(record: RecordRepresentation | undefined, statusField: FieldRef): boolean {
  const status = text(record, statusField);
  return status !== '' && status !== 'Ended';
}

/** A tel: link: Aircall's desktop and web apps answer it (click-to-call). */
export function telHref(number: string): string {
  return `tel:${number.replace(/[^\d+]/g, '')}`;
}

/**
 * Re-reads a live call: `tick` every `interval` ms while the call is live (skipped while the
 * browser tab is hidden; given up after LIVE_MAX_MS), and `clock` every second so running
 * durations move. `follow(false)` stops both.
 */
export class LiveRefresh {
  private clockTimer?: ReturnType<typeof setInterval>;
  private liveTimer?: ReturnType<typeof setInterval>;
  private liveSince = 0;

  constructor(
    private readonly interval: number,
    private readonly tick: () => void,
    private readonly clock: (now: number) => void,
  ) {}

  follow(live: boolean): void {
    if (!live) {
      this.stop();
      return;
    }
    if (this.clockTimer === undefined) {
      this.clock(Date.now());
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      this.clockTimer = setInterval(() => this.clock(Date.now()), 1000);
    }
    if (this.liveTimer !== undefined) return;
    this.liveSince = Date.now();
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.liveTimer = setInterval(() => this.onTick(), this.interval);
  }

  stop(): void {
    if (this.clockTimer !== undefined) clearInterval(this.clockTimer);
    this.clockTimer = undefined;
    if (this.liveTimer !== undefined) clearInterval(this.liveTimer);
    this.liveTimer = undefined;
    this.clock(Date.now());
  }

  private onTick(): void {
    if (Date.now() - this.liveSince > LIVE_MAX_MS) {
      this.stop();
      return;
    }
    // A hidden tab reads nothing; the next tick after it shows again catches up.
    if (document.visibilityState === 'hidden') return;
    this.tick();
  }
}

/** Nothing to do: a failed reload leaves the wire's last value and error handling in charge. */
export function ignore(): void {
  // See the caller.
}

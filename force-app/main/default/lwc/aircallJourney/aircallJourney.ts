import { LightningElement, api } from 'lwc';
import { formatDuration, formatLabel } from 'c/aircallUtils';
import L_TITLE from '@salesforce/label/c.Aircall_Journey_Title';
import L_HOLDS from '@salesforce/label/c.Aircall_Journey_Holds';
import L_TRANSFERS from '@salesforce/label/c.Aircall_Journey_Transfers';
import L_PATH from '@salesforce/label/c.Aircall_Journey_Path';

export interface JourneyStep {
  key: string;
  time: string;
  text: string;
  icon: string;
}

/** `Call_Journey__c` as the connector writes it: `[m:ss] what happened`, one step per line. */
const STEP = /^\[(\d+:\d{2})\] (.*)$/;

/** The icon of a step, from the words the connector writes (see src/engine/conversation.ts). */
function iconOf(text: string): string {
  if (/^IVR\b/.test(text)) return 'utility:dialing';
  if (/^Rang on\b/.test(text)) return 'utility:ringing';
  if (/^Answered\b/.test(text)) return 'utility:call';
  if (/^On hold\b/.test(text)) return 'utility:pause';
  if (/^Resumed\b/.test(text)) return 'utility:play';
  if (/^Transfer/.test(text)) return 'utility:forward';
  if (/^Voicemail\b/.test(text)) return 'utility:voicemail_drop';
  if (/^Ended\b/.test(text)) return 'utility:end_call';
  return 'utility:record';
}

export function parseJourney(text: string | null | undefined): JourneyStep[] {
  return (text ?? '').split('\n').flatMap((raw, i) => {
    const m = STEP.exec(raw.trim());
    if (!m) return [];
    return [{ key: `s${i}`, time: m[1]!, text: m[2]!, icon: iconOf(m[2]!) }];
  });
}

/** The call's journey: the IVR path, holds, transfers, and a timeline of every step. */
export default class AircallJourney extends LightningElement {
  @api journey: string | null = null;
  @api path: string | null = null;
  @api holdCount: number | null = null;
  @api holdSeconds: number | null = null;
  @api transferCount: number | null = null;
  labels = { title: L_TITLE, path: L_PATH };

  get steps(): JourneyStep[] {
    return parseJourney(this.journey);
  }

  get hasJourney(): boolean {
    return this.steps.length > 0 || !!this.path;
  }

  get holdsLabel(): string | null {
    if (!this.holdCount) return null;
    return formatLabel(L_HOLDS, String(this.holdCount), formatDuration(this.holdSeconds));
  }

  get transfersLabel(): string | null {
    if (!this.transferCount) return null;
    return formatLabel(L_TRANSFERS, String(this.transferCount));
  }
}

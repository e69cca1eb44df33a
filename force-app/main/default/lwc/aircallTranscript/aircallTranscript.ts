import { LightningElement, api } from 'lwc';
import { formatLabel } from 'c/aircallUtils';
import L_TITLE from '@salesforce/label/c.Aircall_Transcript_Title';
import L_SEARCH from '@salesforce/label/c.Aircall_Transcript_Search';
import L_AGENT from '@salesforce/label/c.Aircall_Transcript_Agent';
import L_CUSTOMER from '@salesforce/label/c.Aircall_Transcript_Customer';
import L_SHOW from '@salesforce/label/c.Aircall_Transcript_Show';
import L_HIDE from '@salesforce/label/c.Aircall_Transcript_Hide';
import L_MATCHES from '@salesforce/label/c.Aircall_Transcript_Matches';
import L_NOMATCH from '@salesforce/label/c.Aircall_Transcript_No_Match';

/** Below this width the transcript starts collapsed: a phone shows the call first. */
export const COLLAPSED_BELOW_PX = 600;

export interface TranscriptLine {
  key: string;
  time: string;
  speaker: string;
  agent: boolean;
  text: string;
  className: string;
}

/**
 * `Transcript__c` as the connector writes it, one utterance per line:
 * `[m:ss] Agent (Camille Martin): text` or `[m:ss] Customer: text`. A line that is not an
 * utterance (the note naming the file that holds a transcript too long for the field) is kept as a
 * note.
 */
const LINE = /^\[(\d+:\d{2})\] (?:(Agent)(?: \(([^)]*)\))?|(Customer)): (.*)$/;

export function parseTranscript(text: string | null | undefined): {
  lines: TranscriptLine[];
  notes: string[];
} {
  const lines: TranscriptLine[] = [];
  const notes: string[] = [];
  (text ?? '').split('\n').forEach((raw, i) => {
    const m = LINE.exec(raw);
    if (!m) {
      if (raw.trim()) notes.push(raw.trim());
      return;
    }
    const agent = m[2] !== undefined;
    lines.push({
      key: `l${i}`,
      time: m[1]!,
      speaker: agent ? (m[3] ? `${L_AGENT} · ${m[3]}` : L_AGENT) : L_CUSTOMER,
      agent,
      text: m[5]!,
      className: agent ? 'utterance utterance_agent' : 'utterance utterance_customer',
    });
  });
  return { lines, notes };
}

/** The call's transcript as a conversation: who spoke, when, what; searchable in the page. */
export default class AircallTranscript extends LightningElement {
  @api transcript: string | null = null;
  query = '';
  expanded = true;
  labels = { title: L_TITLE, search: L_SEARCH };

  override connectedCallback(): void {
    const narrow =
      typeof window.matchMedia === 'function' &&
      window.matchMedia(`(max-width: ${COLLAPSED_BELOW_PX - 1}px)`).matches;
    this.expanded = !narrow;
  }

  get parsed() {
    return parseTranscript(this.transcript);
  }

  get hasTranscript(): boolean {
    return this.parsed.lines.length > 0 || this.parsed.notes.length > 0;
  }

  get lines(): TranscriptLine[] {
    const q = this.query.trim().toLowerCase();
    const all = this.parsed.lines;
    return q ? all.filter((l) => l.text.toLowerCase().includes(q)) : all;
  }

  get notes(): string[] {
    return this.parsed.notes;
  }

  get hasLines(): boolean {
    return this.lines.length > 0;
  }

  get countLabel(): string {
    return formatLabel(L_MATCHES, String(this.lines.length), String(this.parsed.lines.length));
  }

  get searching(): boolean {
    return this.query.trim() !== '';
  }

  get noMatchLabel(): string {
    return formatLabel(L_NOMATCH, this.query.trim());
  }

  get toggleLabel(): string {
    return this.expanded ? L_HIDE : L_SHOW;
  }

  get toggleIcon(): string {
    return this.expanded ? 'utility:chevrondown' : 'utility:chevronright';
  }

  get ariaExpanded(): string {
    return String(this.expanded);
  }

  toggle(): void {
    this.expanded = !this.expanded;
  }

  search(event: Event): void {
    const target = event.target as HTMLInputElement | null;
    this.query = target?.value ?? '';
  }
}

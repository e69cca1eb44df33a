import { LightningElement, api, wire } from 'lwc';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import type { RecordRepresentation } from 'lightning/uiRecordApi';
import { NavigationMixin } from 'lightning/navigation';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import { formatLabel, isAccessError, reduceErrors } from 'c/aircallUtils';
import { LIVE_REFRESH_MS, LiveRefresh, ignore } from 'c/aircallCallData';
import { OPTIONAL_FIELDS, REQUIRED_FIELDS } from './callFields';
import { buildCallView } from './callView';
import type { CallView } from './callView';
import { LABELS } from './labels';

/**
 * The call page (on an Aircall Voice record): the call with its timeline, recordings, tags,
 * comments and AI insights; re-read while the call is live. What it shows is `view`, computed by
 * callView.ts from the record alone.
 */
export default class AircallCallPage extends NavigationMixin(LightningElement) {
  @api recordId?: string;

  call?: RecordRepresentation;
  callError?: unknown;
  /** What the page shows; recomputed every second while the call is live (its durations run). */
  view: CallView = buildCallView(undefined, Date.now());
  labels = LABELS;

  private connected = false;
  private refreshHandlerId?: number;
  private readonly live = new LiveRefresh(
    LIVE_REFRESH_MS,
    () => this.handleRefresh(),
    (now) => {
      this.view = buildCallView(this.call, now);
    },
  );

  @wire(getRecord, {
    recordId: '$recordId',
    fields: REQUIRED_FIELDS,
    optionalFields: OPTIONAL_FIELDS,
  })
  wiredCall({ data, error }: { data?: RecordRepresentation; error?: unknown }): void {
    this.call = data;
    this.callError = error;
    this.view = buildCallView(data, Date.now());
    this.followLiveCall();
  }

  override connectedCallback(): void {
    this.connected = true;
    // Standard page refreshes (after an edit, a quick action) reach the component through this.
    this.refreshHandlerId = registerRefreshHandler(this, () => {
      this.handleRefresh();
      return true;
    });
    this.followLiveCall();
  }

  override disconnectedCallback(): void {
    this.connected = false;
    this.live.stop();
    if (this.refreshHandlerId !== undefined) unregisterRefreshHandler(this.refreshHandlerId);
  }

  /**
   * Starts the refresh timer while the page shows a live call, stops it once the call is final
   * (the next read brings Ended), the page is left, or the call has looked live for hours.
   */
  private followLiveCall(): void {
    this.live.follow(this.connected && this.view.isLive);
  }

  get noContext(): boolean {
    return !this.recordId;
  }

  get isLoading(): boolean {
    return !!this.recordId && !this.call && !this.callError;
  }

  /** Why the call could not be read ('' when it was). */
  get errorMessage(): string {
    if (!this.callError) return '';
    if (isAccessError(this.callError)) return LABELS.accessError;
    return formatLabel(LABELS.loadError, reduceErrors(this.callError).join(' ')).trim();
  }

  /** The page is titled by the person and when the call started. */
  get cardTitle(): string {
    return this.call ? this.view.person : LABELS.callDetails;
  }

  get titleTime(): string | null {
    return this.view.startedAt;
  }

  handleNavigate(event: Event): void {
    event.preventDefault();
    const recordId = (event.currentTarget as HTMLElement).dataset.recordId;
    if (!recordId) return;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId, actionName: 'view' },
    });
  }

  handleRefresh(): void {
    if (!this.recordId) return;
    // A failed reload leaves the wire's last value and error handling in charge.
    notifyRecordUpdateAvailable([{ recordId: this.recordId }]).catch(ignore);
  }
}

import { LightningElement, api, wire } from 'lwc';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import type { RelatedListRecordCollection } from 'lightning/uiRelatedListApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfoRepresentation } from 'lightning/uiObjectInfoApi';
import { NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import { formatLabel, isAccessError, reduceErrors } from 'c/aircallUtils';
import { LiveRefresh, RELATED_LIVE_REFRESH_MS, ignore } from 'c/aircallCallData';
import { F, PARENT_LOOKUPS, RELATED_FIELDS } from './relatedFields';
import { isLiveCall, relatedRows } from './relatedRows';
import type { RelatedCall } from './relatedRows';
import { LABELS } from './labels';

/**
 * The calls linked to the page's record (Voice Call, Account, Contact, Lead, Case, Opportunity):
 * the newest first, re-read while one of them is live. Rows are computed by relatedRows.ts.
 */
export default class AircallRelatedCalls extends NavigationMixin(LightningElement) {
  @api recordId?: string;
  @api objectApiName?: string;
  /** How many calls to show (1 to 50). */
  @api maxCalls = 10;

  relatedResult?: { data?: RelatedListRecordCollection; error?: unknown };
  parentInfo?: ObjectInfoRepresentation;
  parentInfoError?: unknown;
  rows: RelatedCall[] = [];
  labels = LABELS;

  private connected = false;
  private refreshHandlerId?: number;
  private readonly live = new LiveRefresh(
    RELATED_LIVE_REFRESH_MS,
    () => this.handleRefresh(),
    (now) => this.buildRows(now),
  );

  get relatedParentId(): string | undefined {
    return this.objectApiName ? this.recordId : undefined;
  }

  /** The page's object, read for the name of its Aircall calls relationship. */
  get relatedParentObject(): string | undefined {
    return this.relatedParentId ? this.objectApiName : undefined;
  }

  /**
   * The related list is the child relationship of one of the call's lookups (Aircall_Calls__r,
   * namespaced when the package is installed): read from the parent's object info, not spelled
   * out, so it follows the org's namespace like the imported fields do.
   */
  get relatedListId(): string | undefined {
    const lookups = PARENT_LOOKUPS.map((l) => l.fieldApiName);
    const relationship = this.parentInfo?.childRelationships?.find(
      (r) =>
        r.childObjectApiName === F.AIRCALL_VOICE_OBJECT.objectApiName &&
        lookups.includes(r.fieldName),
    );
    return relationship?.relationshipName ?? undefined;
  }

  /** Set when the page's object has no Aircall calls: the component was placed on the wrong page. */
  get unrelatedPageError(): Error | undefined {
    if (!this.parentInfo || this.relatedListId) return undefined;
    return new Error(formatLabel(LABELS.wrongPage, this.parentInfo.label));
  }

  get pageSize(): number {
    return Math.min(Math.max(Math.trunc(Number(this.maxCalls)) || 10, 1), 50);
  }

  @wire(getRelatedListRecords, {
    parentRecordId: '$relatedParentId',
    relatedListId: '$relatedListId',
    fields: RELATED_FIELDS,
    pageSize: '$pageSize',
  })
  wiredRelated(result: { data?: RelatedListRecordCollection; error?: unknown }): void {
    this.relatedResult = result;
    this.buildRows(Date.now());
    this.followLiveCall();
  }

  @wire(getObjectInfo, { objectApiName: '$relatedParentObject' })
  wiredParentInfo({ data, error }: { data?: ObjectInfoRepresentation; error?: unknown }): void {
    this.parentInfo = data;
    this.parentInfoError = error;
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

  private buildRows(now: number): void {
    this.rows = relatedRows(this.relatedResult?.data?.records ?? [], this.recordId, now);
  }

  private followLiveCall(): void {
    const records = this.relatedResult?.data?.records ?? [];
    this.live.follow(this.connected && records.some(isLiveCall));
  }

  // ----- states -----

  get noContext(): boolean {
    return !this.recordId || !this.objectApiName;
  }

  get error(): unknown {
    return this.parentInfoError ?? this.unrelatedPageError ?? this.relatedResult?.error;
  }

  get isLoading(): boolean {
    return !this.noContext && !this.relatedResult?.data && !this.error;
  }

  /** Why the calls could not be read ('' when they were). */
  get errorMessage(): string {
    if (!this.error) return '';
    if (isAccessError(this.error)) return LABELS.accessError;
    return formatLabel(LABELS.loadError, reduceErrors(this.error).join(' ')).trim();
  }

  get cardTitle(): string {
    const count = this.relatedResult?.data?.count;
    return count === undefined
      ? LABELS.relatedTitle
      : formatLabel(LABELS.relatedTitleCount, String(count));
  }

  get hasRelatedCalls(): boolean {
    return this.rows.length > 0;
  }

  get relatedCount(): number {
    return this.relatedResult?.data?.count ?? 0;
  }

  get moreCallsThanShown(): boolean {
    return this.relatedCount > this.rows.length;
  }

  get showingText(): string {
    return formatLabel(LABELS.showing, String(this.rows.length), String(this.relatedCount));
  }

  get viewAllText(): string {
    return formatLabel(LABELS.viewAll, String(this.relatedCount));
  }

  // ----- actions -----

  handleNavigate(event: Event): void {
    event.preventDefault();
    const recordId = (event.currentTarget as HTMLElement).dataset.recordId;
    if (!recordId) return;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId, actionName: 'view' },
    });
  }

  /** The standard related list page of the record (every call, sortable, with list actions). */
  handleViewAll(event: Event): void {
    event.preventDefault();
    if (!this.recordId || !this.relatedListId) return;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordRelationshipPage',
      attributes: {
        recordId: this.recordId,
        objectApiName: this.objectApiName,
        relationshipApiName: this.relatedListId,
        actionName: 'view',
      },
    });
  }

  handleRefresh(): void {
    if (this.relatedResult) refreshApex(this.relatedResult).catch(ignore);
  }
}

/**
 * The card the call views are drawn in (the call page, the related calls): its title (with the
 * call's start time on the call page), Refresh, and the states before there is anything to show —
 * placed on the wrong page, loading, or an error — else its content. Light DOM, like the other
 * panels: the title, Refresh and the states are part of the view that uses it.
 */
import { LightningElement, api } from 'lwc';
import L_REFRESH from '@salesforce/label/c.Aircall_Refresh';
import L_LOADING from '@salesforce/label/c.Aircall_Record_Loading';
import L_NOCONTEXT from '@salesforce/label/c.Aircall_Record_No_Context';

export default class AircallCard extends LightningElement {
  static override renderMode = 'light' as const;

  @api cardTitle = '';
  /** When the call started (ISO), shown after the title; none on the related calls. */
  @api titleTime: string | null = null;
  /** The page gives the component no record: it says where it belongs. */
  @api noContext = false;
  @api loading = false;
  /** Why the data could not be read; shown in place of the content. */
  @api errorMessage = '';

  labels = { refresh: L_REFRESH, loading: L_LOADING, noContext: L_NOCONTEXT };

  /** Refresh: the view reloads its data (`refresh` event). */
  handleRefresh(): void {
    this.dispatchEvent(new CustomEvent('refresh'));
  }
}

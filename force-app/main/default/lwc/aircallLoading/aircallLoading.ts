/**
 * The spinner a component shows while its data loads. Light DOM: the spinner is part of the page
 * that uses it, so its tests and the browser's accessibility tree see it where it is shown.
 */
import { LightningElement, api } from 'lwc';

export default class AircallLoading extends LightningElement {
  static override renderMode = 'light' as const;

  /** What a screen reader announces ("Loading settings"). */
  @api label = '';
}

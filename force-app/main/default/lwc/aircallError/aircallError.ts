/**
 * Why a component cannot show what it is for (its data could not be read, access is refused): one
 * sentence, announced as an alert, and focusable by script (tabindex -1: never a Tab stop) so a
 * form can move the focus to it. Light DOM, like the other panels.
 */
import { LightningElement, api } from 'lwc';

export default class AircallError extends LightningElement {
  static override renderMode = 'light' as const;

  @api message = '';
}

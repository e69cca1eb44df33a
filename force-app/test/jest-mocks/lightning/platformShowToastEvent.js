// Stand-in for lightning/platformShowToastEvent: the real event is handled by the Lightning
// container, which Jest does not have; tests listen for 'lightning__showtoast' instead.
export const ShowToastEventName = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super(ShowToastEventName, { composed: true, cancelable: true, bubbles: true, detail: toast });
  }
}

/** `lightning/platformShowToastEvent` for the console: the console's page shows the toast. */
export interface ToastDetail {
  title?: string;
  message?: string;
  variant?: 'info' | 'success' | 'warning' | 'error';
  mode?: 'dismissible' | 'pester' | 'sticky';
  messageData?: unknown[];
}

export class ShowToastEvent extends CustomEvent<ToastDetail> {
  constructor(detail: ToastDetail) {
    super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail });
  }
}

import { LightningElement } from 'lwc';
import { REFRESH_EVENT, runRefreshHandlers } from 'lightning/refresh';
import packageComponents from 'console/package';
import { language, switchLanguage, t, type TextKey } from 'console/i18n';

interface Toast {
  key: string;
  title: string;
  message: string;
  variant: string;
  className: string;
  icon: string;
}

const PAGES: readonly { route: string; label: TextKey }[] = [
  { route: 'calls', label: 'calls' },
  { route: 'settings', label: 'settings' },
  { route: 'omni', label: 'omni' },
  { route: 'dashboard', label: 'dashboard' },
  { route: 'utility', label: 'utility' },
];

/**
 * The console's page: a tab bar, the page for the current route (`#/calls`, `#/record/<id>`,
 * `#/settings`, `#/omni`, `#/dashboard`, `#/utility`), and the toasts the components ask for.
 */
export default class App extends LightningElement {
  route = 'calls';
  recordId = '';
  toasts: Toast[] = [];
  private toastSeq = 0;

  private readonly onHash = () => this.readRoute();
  private readonly onToast = (event: Event) =>
    this.showToast(event as CustomEvent<Record<string, string>>);
  private readonly onRefresh = () => void runRefreshHandlers();

  override connectedCallback(): void {
    this.readRoute();
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener('lightning__showtoast', this.onToast);
    window.addEventListener(REFRESH_EVENT, this.onRefresh);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener('lightning__showtoast', this.onToast);
    window.removeEventListener(REFRESH_EVENT, this.onRefresh);
  }

  private readRoute(): void {
    const [, route = 'calls', id = ''] = /^#\/(\w+)(?:\/(\w+))?/.exec(window.location.hash) ?? [];
    this.route = route;
    this.recordId = id;
  }

  get hasUtilityBar(): boolean {
    return packageComponents.some((c) => c.ctor);
  }

  get tabs() {
    return PAGES.filter((p) => p.route !== 'utility' || this.hasUtilityBar).map((p) => {
      const active = p.route === this.route || (p.route === 'calls' && this.route === 'record');
      return {
        route: p.route,
        label: t(p.label),
        href: `#/${p.route}`,
        className: `slds-context-bar__item${active ? ' slds-is-active' : ''}`,
        current: active ? 'page' : undefined,
      };
    });
  }

  get text() {
    return { pages: t('pages'), language: t('language'), close: t('close') };
  }

  get languages() {
    const current = language();
    return [
      { value: 'en_US', label: t('english'), selected: current === 'en' },
      { value: 'es', label: t('spanish'), selected: current === 'es' },
    ];
  }

  /** The console's language switch: the session user's language, as in their personal settings. */
  handleLanguage(event: Event): void {
    const to = (event.target as HTMLSelectElement).value;
    if ((to === 'es' || to === 'en_US') && this.mayLeave()) void switchLanguage(to);
  }

  /**
   * Leaving the page in the console (another tab, another language) asks first when a component
   * has unsaved changes: it says so the standard way, by cancelling `beforeunload`, which Lightning
   * and the browser also honour.
   */
  private mayLeave(): boolean {
    const event = new CustomEvent('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    // eslint-disable-next-line no-alert
    return !event.defaultPrevented || window.confirm(`${t('leaveTitle')} ${t('leaveMessage')}`);
  }

  handleTab(event: Event): void {
    if ((event.currentTarget as HTMLElement).dataset.route === this.route) return;
    if (!this.mayLeave()) event.preventDefault();
  }

  get isCalls(): boolean {
    return this.route === 'calls';
  }
  get isRecord(): boolean {
    return this.route === 'record' && this.recordId !== '';
  }
  get isSettings(): boolean {
    return this.route === 'settings';
  }
  get isOmni(): boolean {
    return this.route === 'omni';
  }
  get isDashboard(): boolean {
    return this.route === 'dashboard';
  }
  get isUtility(): boolean {
    return this.route === 'utility';
  }

  private showToast(event: CustomEvent<Record<string, string>>): void {
    const d = event.detail ?? {};
    const variant = ['success', 'error', 'warning'].includes(d.variant ?? '') ? d.variant! : 'info';
    const key = `t${++this.toastSeq}`;
    this.toasts = [
      ...this.toasts,
      {
        key,
        title: d.title ?? '',
        message: d.message ?? '',
        variant,
        className: `slds-notify slds-notify_toast slds-theme_${variant}`,
        icon: `utility:${variant}`,
      },
    ];
    // Toasts leave by themselves after a while, as in Lightning (or when closed).
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    setTimeout(() => this.dismiss(key), variant === 'error' ? 10_000 : 4_000);
  }

  private dismiss(key: string): void {
    this.toasts = this.toasts.filter((t) => t.key !== key);
  }

  handleCloseToast(event: Event): void {
    const key = (event.currentTarget as HTMLElement).dataset.key;
    if (key) this.dismiss(key);
  }
}

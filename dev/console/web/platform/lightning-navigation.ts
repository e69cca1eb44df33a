/**
 * `lightning/navigation` for the console: record pages are console routes (`#/record/<id>`); the
 * Aircall Setup tab is the settings or the mapper page, by its `c__section`; other page references
 * go to the calls list.
 */
interface PageReference {
  type: string;
  attributes?: {
    recordId?: string;
    objectApiName?: string;
    actionName?: string;
    url?: string;
    apiName?: string;
  };
  state?: Record<string, string>;
}

const NAVIGATE = Symbol('Navigate');
const GENERATE_URL = Symbol('GenerateUrl');

export function urlFor(ref: PageReference): string {
  if (ref.type === 'standard__recordPage' && ref.attributes?.recordId) {
    return `#/record/${ref.attributes.recordId}`;
  }
  if (ref.type === 'standard__webPage' && ref.attributes?.url) return ref.attributes.url;
  // Both panels sit on the Aircall Setup tab in an org; the console gives each its own page.
  if (
    ref.type === 'standard__navItemPage' &&
    /(^|__)Aircall_Setup$/.test(ref.attributes?.apiName ?? '')
  ) {
    return ref.state?.c__section === 'omni' ? '#/omni' : '#/settings';
  }
  // A record's related list page ("View all"): the console has none, the calls list shows them all.
  return '#/calls';
}

type Constructor = new (...args: any[]) => object;

function mixin<T extends Constructor>(Base: T) {
  return class extends Base {
    [NAVIGATE](ref: PageReference, _replace?: boolean): void {
      const url = urlFor(ref);
      if (url.startsWith('#')) window.location.hash = url;
      else window.open(url, '_blank', 'noopener');
    }

    [GENERATE_URL](ref: PageReference): Promise<string> {
      return Promise.resolve(urlFor(ref));
    }
  };
}

export const NavigationMixin = Object.assign(mixin, {
  Navigate: NAVIGATE,
  GenerateUrl: GENERATE_URL,
});

/** Wire adapter: the current console route as a page reference. */
export class CurrentPageReference {
  constructor(private readonly emit: (value: PageReference) => void) {}

  private readonly onHash = () => this.emit(current());

  update(): void {
    this.emit(current());
  }

  connect(): void {
    window.addEventListener('hashchange', this.onHash);
  }

  disconnect(): void {
    window.removeEventListener('hashchange', this.onHash);
  }
}

function current(): PageReference {
  const m = /^#\/record\/(\w+)/.exec(window.location.hash);
  if (m) {
    return { type: 'standard__recordPage', attributes: { recordId: m[1], actionName: 'view' } };
  }
  const setup = /^#\/(settings|omni)\b/.exec(window.location.hash);
  if (setup) {
    return {
      type: 'standard__navItemPage',
      attributes: { apiName: 'Aircall_Setup' },
      state: { c__section: setup[1] ?? '' },
    };
  }
  return { type: 'standard__navItemPage', attributes: {} };
}

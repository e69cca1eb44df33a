import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import USER_ID from '@salesforce/user/Id';
import packageComponents from 'console/package';
import { request } from '../../../platform/lds';

interface Value<T> {
  value: T | null;
}
interface Users {
  uiapi: {
    query: {
      User: { edges: { node: { Id: string; Name: Value<string>; Email: Value<string> } }[] };
      ServicePresenceStatus: { edges: { node: { Id: string; MasterLabel: Value<string> } }[] };
    };
  };
}
interface OmniRequest {
  requestId: number;
  action: 'get' | 'set';
  statusId?: string;
}
interface OmniTarget extends EventTarget {
  omniResult(requestId: number, statusId: string | null, error: string | null): void;
}

/**
 * The utility bar as an agent has it open: the package's utility items at utility-panel width, for
 * the user in `?user=` (default: the session's user). For an Aura item with
 * `<lightning:omniToolkitAPI>` the console plays the wrapper: it answers the LWC's `omnirequest`
 * events with the agent's Omni-Channel status from the org, as the Aura controller does with the
 * toolkit.
 */
export default class UtilityBar extends LightningElement {
  usersResult?: { data?: Users; errors?: unknown[] };
  omniStatusId: string | null = null;
  omniError = '';
  private timer?: ReturnType<typeof setInterval>;

  @wire(graphql, {
    query: gql`
      query consoleUsers {
        uiapi {
          query {
            User(first: 50, where: { IsActive: { eq: true } }, orderBy: { Name: { order: ASC } }) {
              edges {
                node {
                  Id
                  Name {
                    value
                  }
                  Email {
                    value
                  }
                }
              }
            }
            ServicePresenceStatus(first: 200) {
              edges {
                node {
                  Id
                  MasterLabel {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'consoleUsers',
  })
  wiredUsers(result: unknown): void {
    this.usersResult = result as { data?: Users; errors?: unknown[] };
  }

  override connectedCallback(): void {
    void this.readOmni();
    // The Omni widget shows the status as it changes; so does this page.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setInterval(() => void this.readOmni(), 3000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer);
  }

  get items() {
    return packageComponents
      .filter((c) => c.ctor)
      .map((c) => ({ ...c, key: c.name, title: c.aura ? `${c.label} (in ${c.aura})` : c.label }));
  }

  get hasItems(): boolean {
    return this.items.length > 0;
  }

  get userId(): string {
    return USER_ID ?? '';
  }

  get users() {
    const edges = this.usersResult?.data?.uiapi.query.User.edges ?? [];
    return edges.map(({ node }) => ({
      id: node.Id,
      label: node.Name.value ?? node.Id,
      href: `?user=${node.Id}#/utility`,
      current: node.Id === USER_ID ? 'page' : undefined,
      className: node.Id === USER_ID ? 'slds-text-title_bold' : '',
    }));
  }

  get userName(): string {
    return this.users.find((u) => u.id === USER_ID)?.label ?? this.userId;
  }

  get omniStatus(): string {
    if (!this.omniStatusId) return 'Offline';
    const statuses = this.usersResult?.data?.uiapi.query.ServicePresenceStatus.edges ?? [];
    const found = statuses.find((e) => e.node.Id === this.omniStatusId);
    return found?.node.MasterLabel.value ?? this.omniStatusId;
  }

  private async readOmni(): Promise<void> {
    if (!USER_ID) return;
    try {
      const r = await request<{ statusId: string | null }>(
        'GET',
        `/api/omni/presence?userId=${encodeURIComponent(USER_ID)}`,
      );
      this.omniStatusId = r.statusId;
      this.omniError = '';
    } catch (error) {
      this.omniError = messageOf(error);
    }
  }

  /** What the Aura wrapper's controller does: run the toolkit call, answer through omniResult. */
  async handleOmniRequest(event: CustomEvent<OmniRequest>): Promise<void> {
    const target = event.currentTarget as unknown as OmniTarget;
    const { requestId, action, statusId } = event.detail;
    try {
      const r = await request<{ statusId: string | null }>(
        action === 'set' ? 'POST' : 'GET',
        `/api/omni/presence?userId=${encodeURIComponent(USER_ID ?? '')}`,
        action === 'set' ? { statusId } : undefined,
      );
      this.omniStatusId = r.statusId;
      target.omniResult(requestId, r.statusId, null);
    } catch (error) {
      target.omniResult(requestId, null, messageOf(error));
    }
  }
}

function messageOf(error: unknown): string {
  const body = (error as { body?: { message?: string }[] | { message?: string } })?.body;
  const list = Array.isArray(body) ? body : body ? [body] : [];
  return list.map((b) => b.message).join(' ') || String(error);
}

/**
 * The utility bar item for a Spanish-speaking agent: with the Spanish translation loaded in place of
 * the English labels, the panel and its messages read in Spanish, the phone states included.
 */
import { mockLabels, readLabels } from '../../aircallUtils/__tests__/labels';
import { flush, onlyQuery } from '../../aircallUtils/__tests__/testUtils';
import statuses from '../../omniStatusMapper/__tests__/data/graphqlPresenceStatuses.json';
import defaultMappings from '../../omniStatusMapper/__tests__/data/graphqlMappingsDefault.json';

function agentState(phoneEvent: string, callId: string, changedAt: string): unknown {
  return {
    uiapi: {
      query: {
        Aircall_Agent_State__c: {
          edges: [
            {
              node: {
                Id: 'a05Dn0000000001IAA',
                Phone_Event__c: { value: phoneEvent },
                Call_Id__c: { value: callId },
                Changed_At__c: { value: changedAt },
              },
            },
          ],
        },
      },
    },
  };
}

describe('c-aircall-omni-sync in Spanish', () => {
  it('shows the phone state, the call and what it did in Spanish, and is accessible', async () => {
    jest.resetModules();
    mockLabels(readLabels('es'));
    const { createElement } = require('lwc') as typeof import('lwc');
    const Component = (require('c/aircallOmniSync') as { default: new () => HTMLElement }).default;
    const graphql = (require('lightning/graphql') as { graphql: TestGraphQLAdapter }).graphql;
    const element = createElement('c-aircall-omni-sync', { is: Component as never });
    // The Aura wrapper's part: the agent is Online in Omni-Channel, and any change is accepted.
    element.addEventListener('omnirequest', (event) => {
      const { requestId, statusId } = (
        event as CustomEvent<{ requestId: number; statusId?: string }>
      ).detail;
      queueMicrotask(() =>
        (element as unknown as { omniResult(...a: unknown[]): void }).omniResult(
          requestId,
          statusId ?? '0N5Dn0000004BkbKAU',
          null,
        ),
      );
    });
    document.body.appendChild(element);
    await flush();
    graphql.emit(statuses, onlyQuery('omniPresenceStatuses'));
    graphql.emit(defaultMappings, onlyQuery('aircallPhoneToOmni'));
    const now = new Date().toISOString();
    graphql.emit(agentState('Available', '', now), onlyQuery('aircallAgentState'));
    await flush();
    graphql.emit(agentState('After-Call Work', '42', now), onlyQuery('aircallAgentState'));
    await flush().then(flush).then(flush).then(flush);
    const root = element.shadowRoot!;
    const text = (root.textContent ?? '').replace(/\s+/g, ' ');
    expect([...root.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual([
      'Teléfono',
      'Llamada con',
      'Desde',
      'Estado de Omni-Channel establecido',
    ]);
    expect(root.querySelector('.phone-state')!.textContent).toBe(
      'Trabajo posterior a la conversación',
    );
    expect(root.querySelector('.who-pending')!.textContent).toBe('Llamante aún desconocido');
    expect(root.querySelector('.status')!.textContent).toBe(
      'Trabajo posterior a la conversación en su teléfono: Omni-Channel cambiado a Busy.',
    );
    expect(root.querySelector('.elapsed')!.getAttribute('aria-label')).toBe(
      'Tiempo en este estado',
    );
    expect(text).not.toMatch(/Phone|Call with|Since|After/);
    await expect(element).toBeAccessible();
  });
});

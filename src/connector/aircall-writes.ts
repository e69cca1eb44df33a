/**
 * The Aircall API writes of a batch, a step of their own after its Salesforce writes
 * (unit-of-work.ts): "Save to phone" pushes the matched or created records of the batch's calls to
 * the Aircall contacts (src/aircall/api.ts). A call whose Salesforce writes failed pushes nothing (it
 * is retried whole); a contact Aircall refuses is a warning, never a failed call.
 */
import type { Plan } from '../engine';
import type { SalesforceError } from '../salesforce/errors';
import type { AircallApi } from '../aircall/api';

/** Saves the plan's contacts; the warnings of those not saved. */
export async function saveToPhone(
  plan: Pick<Plan, 'aircallContacts'>,
  failed: ReadonlyMap<string, SalesforceError>,
  aircall: Pick<AircallApi, 'saveContact'>,
): Promise<string[]> {
  const warnings: string[] = [];
  for (const contact of plan.aircallContacts) {
    if (failed.has(contact.callId)) continue;
    try {
      await aircall.saveContact(contact);
    } catch (error) {
      warnings.push(`Aircall contact for ${contact.number} not saved: ${(error as Error).message}`);
    }
  }
  return warnings;
}

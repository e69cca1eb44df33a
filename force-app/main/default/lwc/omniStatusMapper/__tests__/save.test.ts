/**
 * Saving without the DOM: the rule writes, then the mode (fake writers stand in for Lightning Data
 * Service, the only boundary here), and the one message that says what was and was not saved.
 */
import { setupPage } from 'c/aircallUtils';
import { saveMapping, saveMessage, type SaveTarget, type Writers } from '../save';
import type { RulePlan } from '../mapping';

const target: SaveTarget = {
  mappingObject: 'Aircall_Status_Mapping__c',
  settingsObject: 'Aircall_Settings__c',
  modeField: 'Omni_Mapping_Mode__c',
  fields: { Omni_Status__c: 'ns__Omni_Status__c' },
  settingsId: 'a02000000000001',
};

function writers(fail: (what: string) => string | undefined = () => undefined) {
  const log: string[] = [];
  const run = (what: string) => {
    log.push(what);
    const message = fail(what);
    return message ? Promise.reject({ body: [{ message }] }) : Promise.resolve({});
  };
  const w: Writers = {
    createRecord: ({ apiName, fields }) => run(`create ${apiName} ${JSON.stringify(fields)}`),
    updateRecord: ({ fields }) => run(`update ${JSON.stringify(fields)}`),
    deleteRecord: (id) => run(`delete ${id}`),
  };
  return { w, log };
}

const plan: RulePlan = {
  creates: [{ Direction__c: 'Omni to Aircall', Omni_Status__c: 'Busy' }],
  updates: [],
  deletes: ['a1'],
};

describe('omniStatusMapper save', () => {
  it('writes the rules, then the mode, in the org names', async () => {
    const { w, log } = writers();
    const outcome = await saveMapping(plan, 'Custom', target, w);
    expect(log).toEqual([
      'create Aircall_Status_Mapping__c {"Direction__c":"Omni to Aircall","ns__Omni_Status__c":"Busy"}',
      'delete a1',
      'update {"Id":"a02000000000001","Omni_Mapping_Mode__c":"Custom"}',
    ]);
    expect(outcome).toEqual({
      mode: 'Custom',
      modeSaved: true,
      rulesTried: 2,
      rulesFailed: 0,
      ruleErrors: [],
    });
    expect(saveMessage(outcome, 'Default')).toEqual({
      title: 'Status mapping saved',
      message:
        '2 rule(s) saved. Mode: Custom. The connector applies the mapping to the next status change.',
      variant: 'success',
    });
  });

  it('does not switch to Custom when a rule failed', async () => {
    const { w, log } = writers((what) => (what === 'delete a1' ? 'entity is deleted' : undefined));
    const outcome = await saveMapping(plan, 'Custom', target, w);
    expect(log.some((l) => l.includes('Omni_Mapping_Mode__c'))).toBe(false);
    expect(saveMessage(outcome, 'Default').message).toBe(
      '1 of 2 rule changes were not saved: entity is deleted The mode was not changed (still Default), so agents keep the rules they had. Your changes are still on screen: fix the problem and save again.',
    );
  });

  it('creates the settings record when there is none', async () => {
    const { w, log } = writers();
    await saveMapping(
      { creates: [], updates: [], deletes: [] },
      'Custom',
      { ...target, settingsId: undefined },
      w,
    );
    expect(log).toEqual(['create Aircall_Settings__c {"Omni_Mapping_Mode__c":"Custom"}']);
  });

  it('reports a refused mode with the platform message', async () => {
    const { w } = writers((what) => {
      return what.startsWith('update') ? 'Insufficient access.' : undefined;
    });
    const outcome = await saveMapping(
      { creates: [], updates: [], deletes: [] },
      'Default',
      target,
      w,
    );
    expect(saveMessage(outcome, 'Custom')).toEqual({
      title: 'Part of the mapping was not saved',
      message:
        'The mode was not changed (still Custom): Insufficient access. Your changes are still on screen: fix the problem and save again.',
      variant: 'error',
    });
  });

  it('opens the Aircall Setup tab at a panel, with the package namespace when it has one', () => {
    expect(setupPage('Aircall_Settings__c', 'omni')).toEqual({
      type: 'standard__navItemPage',
      attributes: { apiName: 'Aircall_Setup' },
      state: { c__section: 'omni' },
    });
    expect(setupPage('aircallsfv__Aircall_Settings__c', 'settings').attributes.apiName).toBe(
      'aircallsfv__Aircall_Setup',
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aircallAvailabilityFor, type StatusMapping } from '../../src/engine';
import { settings } from './helpers';

const rules: StatusMapping[] = [
  {
    direction: 'Omni to Aircall',
    omniStatus: 'Lunch',
    aircallAvailability: 'custom',
    aircallSubstatus: 'Out for lunch',
    phoneEvent: null,
  },
  {
    direction: 'Omni to Aircall',
    omniStatus: 'Available_for_Voice',
    aircallAvailability: 'available',
    aircallSubstatus: null,
    phoneEvent: null,
  },
  {
    direction: 'Phone to Omni',
    omniStatus: 'Lunch',
    aircallAvailability: null,
    aircallSubstatus: null,
    phoneEvent: 'Available',
  },
];

describe('aircallAvailabilityFor (Omni → Aircall)', () => {
  it('Default mode: Online is available in Aircall, every other status unavailable', () => {
    assert.deepEqual(aircallAvailabilityFor('Online', settings(), rules), {
      availability_status: 'available',
    });
    assert.deepEqual(aircallAvailabilityFor('Busy', settings(), rules), {
      availability_status: 'unavailable',
    });
    assert.deepEqual(aircallAvailabilityFor(null, settings(), rules), {
      availability_status: 'unavailable',
    });
  });

  it('Custom mode: the admin rule for the status decides, substatus included', () => {
    const custom = settings({ omniMappingMode: 'Custom' });
    assert.deepEqual(aircallAvailabilityFor('lunch', custom, rules), {
      availability_status: 'custom',
      substatus: 'Out for lunch',
    });
    assert.deepEqual(aircallAvailabilityFor('Available_for_Voice', custom, rules), {
      availability_status: 'available',
    });
  });

  it('Custom mode: a status without an "Omni to Aircall" rule leaves Aircall unchanged', () => {
    const custom = settings({ omniMappingMode: 'Custom' });
    assert.equal(aircallAvailabilityFor('Training', custom, rules), null);
  });
});

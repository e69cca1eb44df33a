// Stand-in for lightning/navigation: records every Navigate call so tests can assert the target.
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

export const mockNavigate = jest.fn();
export const mockGenerateUrl = jest.fn((pageReference) =>
  Promise.resolve(
    `https://example.lightning.force.com/${pageReference?.attributes?.recordId ?? ''}`,
  ),
);

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');
export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      mockNavigate(pageReference, replace);
    }
    [GenerateUrl](pageReference) {
      return mockGenerateUrl(pageReference);
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

// Test-only helpers that sfdx-lwc-jest's stubs (and force-app/test/jest-mocks) add to the platform
// modules. Declared as globals so tests can cast an adapter import to them.
/// <reference types="@sa11y/jest" />

interface TestWireAdapter {
  emit(value: unknown, filter?: (config: Record<string, unknown>) => boolean): void;
  error(body?: unknown, status?: number, statusText?: string): void;
  getLastConfig(): Record<string, unknown>;
}

interface TestGraphQLAdapter {
  emit(
    value: unknown,
    filter?: (config: Record<string, unknown>) => boolean,
    refresh?: () => Promise<void>,
  ): void;
  emitErrors(errors: unknown[], filter?: (config: Record<string, unknown>) => boolean): void;
  getLastConfig(): Record<string, unknown>;
}

interface EmpApiMock {
  /** Delivers a message to every subscriber of `channel`, as the streaming API would. */
  jestMockPublish(channel: string, payload: Record<string, unknown>): Promise<boolean>;
  /** Channels with a live subscription. */
  jestMockSubscriptions(): string[];
}

interface NavigationMock {
  mockNavigate: jest.Mock;
  mockGenerateUrl: jest.Mock;
}

/**
 * The Metadata API's deployments: `deploy()` queues one and answers an AsyncResult, the deployment
 * runs after the answer (so `cancelDeploy()` can still reach a queued one), and
 * `checkDeployStatus()` reports its DeployResult (Metadata API Developer Guide: "deploy()",
 * "checkDeployStatus()", "cancelDeploy()", "DeployResult"). A successful deployment's zip is kept
 * (with a file-backed org, in its database) and replayed when the org starts again, so a deployed
 * package stays the org's schema.
 */
import { makeId } from './ids';
import { readDeployZip } from './deploy-package';
import { emptyAnalytics } from './report-metadata';
import { planDeploy, type DeployedMetadata, type DeployMessage } from './deploy-apply';
import type { Org } from './runtime';

export type DeployStatus =
  'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

/** DeployOptions (Metadata API Developer Guide, "deploy()": DeployOptions) the org reads. */
export interface DeployOptions {
  checkOnly: boolean;
  rollbackOnError: boolean;
  ignoreWarnings: boolean;
  singlePackage: boolean;
  testLevel: string;
  runTests: string[];
}

interface Deployment {
  id: string;
  options: DeployOptions;
  zip: Buffer;
  status: DeployStatus;
  createdDate: string;
  startDate?: string;
  completedDate?: string;
  lastModifiedDate: string;
  successes: DeployMessage[];
  failures: DeployMessage[];
  total: number;
  errorMessage?: string;
  errorStatusCode?: string;
  canceledBy?: string;
}

/** The test levels of DeployOptions.testLevel. */
export const TEST_LEVELS = [
  'NoTestRun',
  'RunSpecifiedTests',
  'RunLocalTests',
  'RunAllTestsInOrg',
  'RunRelevantTests',
];

const DEPLOYED_META = 'deployedZips';

export class MetadataDeploys {
  private readonly deployments = new Map<string, Deployment>();
  private seq = 0;
  private paused = false;
  private readonly queue: Deployment[] = [];
  readonly deployed: DeployedMetadata = {
    permissionSets: new Map(),
    labels: new Map(),
    translations: new Map(),
    components: new Map(),
    packageObjects: new Set(),
    analytics: emptyAnalytics(),
  };

  constructor(private readonly org: Org) {}

  /** Replays the deployments a file-backed org kept (their checks passed when they ran). */
  replay(): void {
    const kept = this.org.store.getMeta(DEPLOYED_META);
    if (!kept) return;
    for (const b64 of JSON.parse(kept) as string[]) {
      const plan = planDeploy(
        this.org,
        readDeployZip(Buffer.from(b64, 'base64'), true),
        this.deployed,
      );
      plan.apply();
    }
  }

  /** deploy(): queues the deployment; it runs once this call has been answered. */
  start(zip: Buffer, options: DeployOptions): { id: string; done: boolean; state: string } {
    const now = new Date().toISOString();
    const d: Deployment = {
      id: makeId('0Af', ++this.seq),
      options,
      zip,
      status: 'Pending',
      createdDate: now,
      lastModifiedDate: now,
      successes: [],
      failures: [],
      total: 0,
    };
    this.deployments.set(d.id, d);
    this.queue.push(d);
    setImmediate(() => this.drain());
    return { id: d.id, done: false, state: 'Queued' };
  }

  /** Local-only (tests): hold queued deployments, so cancelDeploy() finds one still queued. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.drain();
  }

  private drain(): void {
    while (!this.paused && this.queue.length > 0) {
      const d = this.queue.shift()!;
      if (d.status === 'Pending') this.run(d);
    }
  }

  private run(d: Deployment): void {
    d.status = 'InProgress';
    d.startDate = new Date().toISOString();
    try {
      const pkg = readDeployZip(d.zip, d.options.singlePackage);
      if (pkg.problems.length > 0) {
        d.failures = pkg.problems.map((p) => ({
          changed: false,
          componentType: '',
          created: false,
          createdDate: d.startDate!,
          deleted: false,
          fileName: p.fileName,
          fullName: p.fileName,
          success: false,
          problem: p.problem,
          problemType: 'Error',
        }));
        d.total = pkg.components.length;
        this.finish(d, 'Failed');
        return;
      }
      const plan = planDeploy(this.org, pkg, this.deployed);
      d.successes = plan.successes;
      d.failures = plan.failures;
      d.total = pkg.components.length;
      const failed = plan.failures.length > 0;
      if (failed && d.options.rollbackOnError) {
        this.finish(d, 'Failed');
        return;
      }
      if (!d.options.checkOnly) {
        plan.apply();
        this.keep(d.zip);
      }
      this.finish(
        d,
        failed ? (plan.successes.length > 0 ? 'SucceededPartial' : 'Failed') : 'Succeeded',
      );
    } catch (e) {
      d.errorStatusCode = 'UNKNOWN_EXCEPTION';
      d.errorMessage = (e as Error).message;
      this.finish(d, 'Failed');
    }
  }

  private keep(zip: Buffer): void {
    const kept = JSON.parse(this.org.store.getMeta(DEPLOYED_META) ?? '[]') as string[];
    kept.push(zip.toString('base64'));
    this.org.store.setMeta(DEPLOYED_META, JSON.stringify(kept));
  }

  private finish(d: Deployment, status: DeployStatus): void {
    d.status = status;
    d.completedDate = new Date().toISOString();
    d.lastModifiedDate = d.completedDate;
  }

  /** cancelDeploy(): a queued deployment is canceled at once; a finished one cannot be. */
  cancel(id: string): { done: boolean; id: string } | { fault: string; message: string } {
    const d = this.deployments.get(id);
    if (!d) return { fault: 'INVALID_ID_FIELD', message: 'Invalid deploy ID' };
    if (d.status !== 'Pending' && d.status !== 'InProgress')
      return { fault: 'INVALID_ID_FIELD', message: 'Deployment already completed' };
    d.canceledBy = this.org.userId;
    this.finish(d, 'Canceled');
    return { done: true, id: d.id };
  }

  /** checkDeployStatus(): the DeployResult, with DeployDetails when asked. */
  status(id: string, includeDetails: boolean): Record<string, unknown> | undefined {
    const d = this.deployments.get(id);
    if (!d) return undefined;
    const done = !['Pending', 'InProgress', 'Canceling'].includes(d.status);
    const runTests = d.options.testLevel !== 'NoTestRun';
    const user = this.org.userName();
    return {
      ...(d.canceledBy ? { canceledBy: d.canceledBy, canceledByName: user } : {}),
      checkOnly: d.options.checkOnly,
      ...(d.completedDate ? { completedDate: d.completedDate } : {}),
      createdBy: this.org.userId,
      createdByName: user,
      createdDate: d.createdDate,
      ...(includeDetails && done
        ? {
            details: {
              componentFailures: d.failures,
              componentSuccesses: d.successes,
              // No Apex in the org: whatever the test level, there are no tests to run.
              runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 },
            },
          }
        : {}),
      done,
      ...(d.errorMessage
        ? { errorMessage: d.errorMessage, errorStatusCode: d.errorStatusCode }
        : {}),
      id: d.id,
      ignoreWarnings: d.options.ignoreWarnings,
      lastModifiedDate: d.lastModifiedDate,
      numberComponentErrors: d.failures.length,
      numberComponentsDeployed: done ? d.successes.length : 0,
      numberComponentsTotal: d.total,
      numberTestErrors: 0,
      numberTestsCompleted: 0,
      numberTestsTotal: 0,
      rollbackOnError: d.options.rollbackOnError,
      runTestsEnabled: runTests,
      ...(d.startDate ? { startDate: d.startDate } : {}),
      status: d.status,
      success: d.status === 'Succeeded' || d.status === 'SucceededPartial',
    };
  }
}

/**
 * The Metadata API's SOAP endpoint, `/services/Soap/m/NN.0`: the calls a deploy from a metadata
 * folder makes — `deploy` (the zip, base64, and DeployOptions), `checkDeployStatus` (with
 * `includeDetails`), `cancelDeploy` — which is what @salesforce/source-deploy-retrieve's
 * MetadataApiDeploy sends through jsforce (`conn.metadata.deploy`, `checkDeployStatus(id, true)`,
 * `cancelDeploy(id)`), and so `npm run deploy` and `sf project deploy start --metadata-dir`.
 * Metadata API Developer Guide: "deploy()", "checkDeployStatus()", "cancelDeploy()".
 */
import { TEST_LEVELS, type DeployOptions } from '../deploy';
import type { Reply, RouteRequest } from '../http';
import { faultEnvelope, parseEnvelope, responseEnvelope, SoapFault } from '../soap';

/** A SOAP argument's text ('' when absent or not text). */
const arg = (v: unknown): string => (typeof v === 'string' ? v : '');
const bool = (v: unknown, dflt: boolean): boolean => (arg(v) === '' ? dflt : arg(v) === 'true');

function deployOptions(raw: Record<string, unknown>): DeployOptions {
  const testLevel =
    typeof raw.testLevel === 'string' && raw.testLevel ? raw.testLevel : 'NoTestRun';
  // DeployOptions.testLevel takes one of the TestLevel values; anything else is a bad request.
  if (!TEST_LEVELS.includes(testLevel))
    throw new SoapFault(
      'sf:INVALID_OPERATION',
      `testLevel must be one of ${TEST_LEVELS.join(', ')}, not ${testLevel}`,
    );
  const runTests = raw.runTests;
  return {
    checkOnly: bool(raw.checkOnly, false),
    rollbackOnError: bool(raw.rollbackOnError, true),
    ignoreWarnings: bool(raw.ignoreWarnings, false),
    singlePackage: bool(raw.singlePackage, false),
    testLevel,
    runTests: (Array.isArray(runTests) ? runTests : runTests ? [runTests] : []).map(String),
  };
}

function call(r: RouteRequest): string {
  const { method, args, sessionId } = parseEnvelope(typeof r.body === 'string' ? r.body : '');
  if (sessionId !== r.org.accessToken)
    throw new SoapFault(
      'sf:INVALID_SESSION_ID',
      'Invalid Session ID found in SessionHeader: Illegal Session',
    );
  const deploys = r.org.metadata;
  switch (method) {
    case 'deploy': {
      const zip =
        typeof args.ZipFile === 'string' ? Buffer.from(args.ZipFile, 'base64') : undefined;
      if (!zip || zip.length === 0)
        throw new SoapFault(
          'sf:INVALID_OPERATION',
          'The deploy() call needs a ZipFile (the package zip, base64).',
        );
      const options = deployOptions((args.DeployOptions ?? {}) as Record<string, unknown>);
      return responseEnvelope('deploy', deploys.start(zip, options));
    }
    case 'checkDeployStatus': {
      const id = arg(args.asyncProcessId);
      const result = deploys.status(id, bool(args.includeDetails, false));
      if (!result) throw new SoapFault('sf:INVALID_ID_FIELD', 'Invalid deploy ID');
      return responseEnvelope('checkDeployStatus', result);
    }
    case 'cancelDeploy': {
      const result = deploys.cancel(arg(args.id));
      if ('fault' in result) throw new SoapFault(`sf:${result.fault}`, result.message);
      return responseEnvelope('cancelDeploy', result);
    }
    default:
      throw new SoapFault(
        'soapenv:Client',
        `No operation available for request {http://soap.sforce.com/2006/04/metadata}${method}`,
      );
  }
}

/** POST /services/Soap/m/{version}: one SOAP call; a fault is HTTP 500, as SOAP faults are. */
export function metadataSoap(r: RouteRequest): Reply {
  try {
    return { status: 200, xml: call(r) };
  } catch (e) {
    if (!(e instanceof SoapFault)) throw e;
    return { status: 500, xml: faultEnvelope(e) };
  }
}

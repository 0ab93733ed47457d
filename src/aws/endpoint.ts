/**
 * Where AWS calls go, as lbcheck checks and names it. No SDK import: the audit pipeline names
 * the endpoint without loading the SDK.
 */
import { LbcheckError } from '../errors.js';
import { redactUrlCredentials } from '../text-safety.js';

/** An endpoint lbcheck was told to use, and who told it (`--endpoint-url`, `AWS_ENDPOINT_URL_STS`, `endpoint_url of profile audit`). */
export interface ConfiguredEndpoint {
  url: string;
  source: string;
}

/** Where the collection's calls go, as error lines name it. */
export function endpointOf(options: { endpointUrl?: string; endpointLabel?: string }): string {
  return redactUrlCredentials(options.endpointUrl ?? options.endpointLabel ?? 'its regional endpoints');
}

/** "http://127.0.0.1:5000 (AWS_ENDPOINT_URL_STS)": the URL, and where it came from (not when the user just typed it). */
export function describeEndpoint(endpoint: ConfiguredEndpoint): string {
  const url = redactUrlCredentials(endpoint.url);
  return endpoint.source === '--endpoint-url' ? url : `${url} (${endpoint.source})`;
}

/** `value` checked as an endpoint URL (http or https, no credentials in it), without a trailing slash; `source` names it in the error. */
export function endpointUrlOf(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LbcheckError(`${source} is not a URL: ${redactUrlCredentials(JSON.stringify(value))} (expected e.g. http://127.0.0.1:5000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LbcheckError(`${source} must be an http:// or https:// URL, got ${redactUrlCredentials(JSON.stringify(value))}`);
  }
  if (url.username || url.password) throw new LbcheckError(`${source} must not contain credentials`);
  return value.replace(/\/+$/, '');
}

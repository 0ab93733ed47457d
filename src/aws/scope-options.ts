/**
 * Turns the scope flags (from the CLI, or the Action's inputs) (--region, --all-regions, --profile, --endpoint-url, --concurrency, --no-pace)
 * and the environment into the collector's options, rejecting bad input before any AWS call.
 */
import type { CollectOptions } from './collect.js';
import { LbcheckError } from '../errors.js';
import type { Progress } from '../progress.js';

/**
 * AWS region names: partition prefix, optional gov/iso qualifier, direction, number
 * (us-east-1, us-gov-west-1, cn-northwest-1, eu-isoe-west-1, ap-southeast-7).
 */
const REGION_FORMAT = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export function isRegionName(value: string): boolean {
  return REGION_FORMAT.test(value);
}

function endpointUrlOf(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LbcheckError(`${source} is not a URL: ${JSON.stringify(value)} (expected e.g. http://127.0.0.1:5000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LbcheckError(`${source} must be an http:// or https:// URL, got ${JSON.stringify(value)}`);
  }
  if (url.username || url.password) throw new LbcheckError(`${source} must not contain credentials`);
  return value.replace(/\/+$/, '');
}

/** The scope as a front end gives it: the CLI's flags, or the Action's inputs. */
export interface ScopeOptions {
  region?: string[];
  allRegions?: boolean;
  profile?: string[];
  endpointUrl?: string;
  concurrency: number;
  /** false: do not pace calls to AWS's request buckets (--no-pace). */
  pace?: boolean;
}

export function collectOptionsFrom(
  options: ScopeOptions,
  progress: Progress,
  env: NodeJS.ProcessEnv = process.env,
): CollectOptions {
  const regions = [...new Set(options.region ?? [])];
  const invalid = regions.find((region) => !isRegionName(region));
  if (invalid !== undefined) {
    throw new LbcheckError(`--region ${JSON.stringify(invalid)} is not an AWS region name (expected e.g. us-east-1, eu-west-2)`);
  }
  if (regions.length && options.allRegions) throw new LbcheckError('--region and --all-regions cannot be used together');
  const profiles = [...new Set(options.profile ?? [])];
  const emptyProfile = profiles.find((profile) => profile.trim() === '');
  if (emptyProfile !== undefined) throw new LbcheckError('--profile needs a profile name');

  // --endpoint-url overrides everything. AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>, which wins over it)
  // the SDK applies by itself; it is only read here, checked, so that errors can name it.
  const endpointUrl = options.endpointUrl ? endpointUrlOf(options.endpointUrl, '--endpoint-url') : undefined;
  const endpointLabel = !endpointUrl && env.AWS_ENDPOINT_URL ? endpointUrlOf(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL') : undefined;

  return {
    regions,
    allRegions: options.allRegions ?? false,
    profiles,
    endpointUrl,
    endpointLabel,
    concurrency: options.concurrency,
    ...(options.pace === false ? { requestBuckets: false as const } : {}),
    progress,
  };
}

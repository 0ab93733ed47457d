/**
 * Turns the scope flags (from the CLI, or the Action's inputs) (--region, --all-regions, --profile, --role-arn, --org-role,
 * --external-id, --endpoint-url, --concurrency, --no-pace)
 * and the environment into the collector's options, rejecting bad input before any AWS call.
 */
import type { CollectOptions } from './collect.js';
import { LbcheckError } from '../errors.js';
import { endpointUrlOf } from './endpoint.js';
import type { Progress } from '../progress.js';

/**
 * AWS region names: partition prefix, optional gov/iso qualifier, direction, number
 * (us-east-1, us-gov-west-1, cn-northwest-1, eu-isoe-west-1, ap-southeast-7).
 */
const REGION_FORMAT = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export function isRegionName(value: string): boolean {
  return REGION_FORMAT.test(value);
}

/** The scope as a front end gives it: the CLI's flags, or the Action's inputs. */
export interface ScopeOptions {
  region?: string[];
  allRegions?: boolean;
  profile?: string[];
  /** --role-arn, repeatable: one account each. */
  roleArn?: string[];
  /** --org-role NAME: every ACTIVE account of the organization. */
  orgRole?: string;
  externalId?: string;
  endpointUrl?: string;
  concurrency: number;
  /** false: do not pace calls to AWS's request buckets (--no-pace). */
  pace?: boolean;
}

/** How the front end spells each scope option, for its error lines: the CLI's flags, or the Action's inputs. */
export interface ScopeOptionNames {
  region: string;
  allRegions: string;
  profile: string;
  roleArn: string;
  orgRole: string;
  externalId: string;
  endpointUrl: string;
}

export const CLI_OPTION_NAMES: ScopeOptionNames = {
  region: '--region',
  allRegions: '--all-regions',
  profile: '--profile',
  roleArn: '--role-arn',
  orgRole: '--org-role',
  externalId: '--external-id',
  endpointUrl: '--endpoint-url',
};

/** An IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns). */
const ROLE_ARN_FORMAT = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** A role name, with its path when it has one (`lbcheck-audit`, `audit/lbcheck`): what follows `role/` in its ARN. */
const ROLE_NAME_FORMAT = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** What STS accepts as an ExternalId (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
const EXTERNAL_ID_FORMAT = /^[\w+=,.@:/-]{2,1224}$/;

/** The roles to assume, checked: --role-arn ARNs or --org-role NAME (not both), --external-id only with one of them, one caller profile. */
function roleOptionsFrom(options: ScopeOptions, profiles: string[], names: ScopeOptionNames): Pick<CollectOptions, 'roleArns' | 'orgRole' | 'externalId'> {
  const roleArns = [...new Set(options.roleArn ?? [])];
  const badArn = roleArns.find((arn) => !ROLE_ARN_FORMAT.test(arn));
  if (badArn !== undefined) throw new LbcheckError(`${names.roleArn} ${JSON.stringify(badArn)} is not an IAM role ARN (expected e.g. arn:aws:iam::111122223333:role/lbcheck-audit)`);
  const { orgRole, externalId } = options;
  if (orgRole !== undefined && !ROLE_NAME_FORMAT.test(orgRole)) {
    throw new LbcheckError(`${names.orgRole} ${JSON.stringify(orgRole)} is not an IAM role name (expected e.g. lbcheck-audit: the role of that name is assumed in every account)`);
  }
  if (orgRole !== undefined && roleArns.length > 0) throw new LbcheckError(`${names.roleArn} and ${names.orgRole} cannot be used together`);
  const assumes = roleArns.length > 0 || orgRole !== undefined;
  if (externalId !== undefined && !assumes) throw new LbcheckError(`${names.externalId} needs ${names.roleArn} or ${names.orgRole}`);
  if (externalId !== undefined && !EXTERNAL_ID_FORMAT.test(externalId)) {
    throw new LbcheckError(`${names.externalId} must be 2 to 1224 letters, digits or any of + = , . @ : / - _`);
  }
  if (assumes && profiles.length > 1) throw new LbcheckError(`${names.roleArn} and ${names.orgRole} assume roles with one set of credentials: give at most one ${names.profile}`);
  return {
    ...(roleArns.length > 0 && { roleArns }),
    ...(orgRole !== undefined && { orgRole }),
    ...(externalId !== undefined && { externalId }),
  };
}

export function collectOptionsFrom(
  options: ScopeOptions,
  progress: Progress,
  { env = process.env, names = CLI_OPTION_NAMES }: { env?: NodeJS.ProcessEnv; names?: ScopeOptionNames } = {},
): CollectOptions {
  const regions = [...new Set(options.region ?? [])];
  const invalid = regions.find((region) => !isRegionName(region));
  if (invalid !== undefined) {
    throw new LbcheckError(`${names.region} ${JSON.stringify(invalid)} is not an AWS region name (expected e.g. us-east-1, eu-west-2)`);
  }
  if (regions.length && options.allRegions) throw new LbcheckError(`${names.region} and ${names.allRegions} cannot be used together`);
  const profiles = [...new Set(options.profile ?? [])];
  const emptyProfile = profiles.find((profile) => profile.trim() === '');
  if (emptyProfile !== undefined) throw new LbcheckError(`${names.profile} needs a profile name`);

  // --endpoint-url overrides everything. AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>, which wins over it)
  // the SDK applies by itself; it is only read here, checked, so that errors can name it.
  const endpointUrl = options.endpointUrl ? endpointUrlOf(options.endpointUrl, names.endpointUrl) : undefined;
  const endpointLabel = !endpointUrl && env.AWS_ENDPOINT_URL ? endpointUrlOf(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL') : undefined;

  return {
    regions,
    allRegions: options.allRegions ?? false,
    profiles,
    ...roleOptionsFrom(options, profiles, names),
    endpointUrl,
    endpointLabel,
    concurrency: options.concurrency,
    ...(options.pace === false ? { requestBuckets: false as const } : {}),
    progress,
  };
}

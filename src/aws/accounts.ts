/**
 * The accounts an audit covers: each --profile (or the default credentials) as it is, or,
 * with --role-arn / --org-role, one account per role assumed with STS from the caller's
 * credentials. --org-role lists the ACTIVE accounts of the caller's AWS Organization
 * (organizations:ListAccounts, every page) and assumes role NAME in each, in the caller's partition.
 */
import { paginateListAccounts, type Account } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { NotChecked } from '../inventory/model.js';
import { createOrganizationsClient, createStsClient, credentialsFor, type ClientOptions } from './clients.js';
import { classifyError, pageSizeFor, type CallFailure } from './scope-run.js';

/** Whose credentials collect a set of scopes: a profile, the default chain, or a role assumed in one account. */
export interface Principal {
  /** How progress and notChecked name it: `profile dev`, `the default credentials`, `account 111122223333 (role lbcheck)`. */
  label: string;
  /** The shared-config profile it is (not set for an assumed role: its scopes are the role's account, not the profile's). */
  profile?: string;
  /** The profile whose region settings apply (an assumed role's: the caller's). */
  regionProfile?: string;
  credentials: AwsCredentialIdentityProvider;
  /** Known before any call for an assumed role: the account in its ARN. */
  account?: string;
  roleArn?: string;
}

/** What assuming roles needs from the collection's options. */
export interface RoleOptions {
  roleArns: string[];
  orgRole?: string;
  externalId?: string;
  /** The caller: at most one profile (scope-options checks it), else the default chain. */
  profile?: string;
  /** The caller's credentials (tests), instead of the profile's provider chain. */
  credentials?: AwsCredentialIdentityProvider;
  /** The region STS and Organizations are called in (the first --region, else the caller's). */
  region: string;
  /** Page size of ListAccounts (tests); default the largest, 20. */
  pageSize?: number;
  client: Omit<ClientOptions, 'region' | 'profile' | 'credentials'>;
}

/** The session name CloudTrail shows for lbcheck's calls in each audited account. */
export const ROLE_SESSION_NAME = 'lbcheck';

/** Renew a session this long before it expires (as the SDK's own providers do), so no call is signed with credentials about to lapse. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/** `arn:aws:iam::111122223333:role/path/name` -> its partition, account and role name (path included). */
export function roleArnParts(arn: string): { partition: string; account: string; name: string } | undefined {
  const match = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(.+)$/.exec(arn);
  return match ? { partition: match[1] ?? '', account: match[2] ?? '', name: match[3] ?? '' } : undefined;
}

/**
 * Credentials of a role assumed with `sts` (which holds the caller's), shared by every client of that
 * account and renewed before they expire. A failed AssumeRole is not remembered: the next call tries again.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function assumedRoleCredentials(sts: STSClient, roleArn: string, externalId: string | undefined): AwsCredentialIdentityProvider {
  let session: Promise<AwsCredentialIdentity> | undefined;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: ROLE_SESSION_NAME, ...(externalId !== undefined && { ExternalId: externalId }) }));
    const credentials = out.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`sts:AssumeRole of ${roleArn} returned no credentials`);
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken !== undefined && { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration !== undefined && { expiration: credentials.Expiration }),
    };
  };
  const fresh = (identity: AwsCredentialIdentity) => identity.expiration === undefined || identity.expiration.getTime() - Date.now() > RENEW_BEFORE_EXPIRY_MS;
  return async () => {
    const current = session && (await session.catch(() => undefined));
    if (current && fresh(current)) return current;
    session = assume();
    return session;
  };
}

/**
 * Organizations still sends the older `Status` beside `State`, which replaces it; either says ACTIVE.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
 */
function isActive(account: Account): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}

/** One label per assumed role: the account, and the role's name where it says more than the ARN's account. */
function roleLabel(arn: string): string {
  const parts = roleArnParts(arn);
  return parts ? `account ${parts.account} (role ${parts.name})` : `role ${arn}`;
}

export interface RolePrincipals {
  principals: Principal[];
  /** Why no role could be listed (the organization's accounts): for notChecked, and the one error line when nothing was collected. */
  failures: CallFailure[];
  notChecked: NotChecked[];
  /** Ends the caller's STS client, once every assumed role's clients are done with it. */
  close: () => void;
}

/** The accounts of the caller's organization, every page, ACTIVE only: their role ARNs. `step.call` names the call under way, for a failure. */
async function organizationRoleArns(options: RoleOptions, roleName: string, credentials: AwsCredentialIdentityProvider, sts: STSClient, step: { call: string }): Promise<string[]> {
  // The caller's partition (aws, aws-cn, aws-us-gov) is the members' too.
  step.call = 'sts:GetCallerIdentity';
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  step.call = 'organizations:ListAccounts';
  const partition = identity.Arn?.split(':')[1] ?? 'aws';
  const organizations = createOrganizationsClient({ ...options.client, region: options.region, ...(options.profile !== undefined && { profile: options.profile }), credentials });
  try {
    const accounts: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations, pageSize: pageSizeFor(options.pageSize, 1, 20) }, {})) {
      for (const account of page.Accounts ?? []) if (account.Id && isActive(account)) accounts.push(account.Id);
    }
    return accounts.sort().map((account) => `arn:${partition}:iam::${account}:role/${roleName}`);
  } finally {
    organizations.destroy();
  }
}

/** --role-arn ARNs, or --org-role NAME in every active account of the organization: one principal each. */
export async function rolePrincipals(options: RoleOptions): Promise<RolePrincipals> {
  // A caller's role_arn profile assumes its role through the same endpoint as the rest.
  const credentials = options.credentials ?? credentialsFor(options.profile, { ...options.client, region: options.region });
  const sts = createStsClient({ ...options.client, region: options.region, ...(options.profile !== undefined && { profile: options.profile }), credentials });
  const close = () => sts.destroy();
  let roleArns = options.roleArns;
  if (options.orgRole !== undefined) {
    const step = { call: '' };
    try {
      roleArns = await organizationRoleArns(options, options.orgRole, credentials, sts, step);
    } catch (error) {
      const { kind, reason } = classifyError(error);
      return {
        principals: [],
        failures: [{ operation: step.call, kind, reason, ...(options.profile !== undefined && { profile: options.profile }) }],
        notChecked: [{ what: `the accounts of the AWS Organization (${step.call})`, why: reason, call: step.call }],
        close,
      };
    }
    if (roleArns.length === 0) {
      return { principals: [], failures: [], notChecked: [{ what: 'the accounts of the AWS Organization', why: 'organizations:ListAccounts named no ACTIVE account' }], close };
    }
  }
  const principals = [...new Set(roleArns)].map((roleArn): Principal => {
    const account = roleArnParts(roleArn)?.account;
    return {
      label: roleLabel(roleArn),
      ...(options.profile !== undefined && { regionProfile: options.profile }),
      credentials: assumedRoleCredentials(sts, roleArn, options.externalId),
      ...(account !== undefined && { account }),
      roleArn,
    };
  });
  return { principals, failures: [], notChecked: [], close };
}

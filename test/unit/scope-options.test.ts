/**
 * The multi-account scope flags, checked before any AWS call: --role-arn (IAM role ARNs, repeatable),
 * --org-role (a role name), --external-id (only with one of them), and one caller profile at most.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_INPUT_NAMES } from '../../src/action/inputs.js';
import { collectOptionsFrom, type ScopeOptions } from '../../src/aws/scope-options.js';
import { silentProgress } from '../../src/progress.js';

const base = { concurrency: 8, region: ['eu-west-1'] };
const options = (extra: Partial<ScopeOptions>) => collectOptionsFrom({ ...base, ...extra }, silentProgress, { env: {} });

describe('role scope flags', () => {
  it('passes --role-arn (once each), --org-role and --external-id on to the collector', () => {
    const arn = 'arn:aws:iam::111122223333:role/lbcheck-audit';
    expect(options({ roleArn: [arn, arn, 'arn:aws-us-gov:iam::444455556666:role/audit/lbcheck'], externalId: 'ext-1' })).toMatchObject({
      roleArns: [arn, 'arn:aws-us-gov:iam::444455556666:role/audit/lbcheck'],
      externalId: 'ext-1',
    });
    expect(options({ orgRole: 'audit/lbcheck-audit', profile: ['management'] })).toMatchObject({ orgRole: 'audit/lbcheck-audit', profiles: ['management'] });
    expect(options({})).not.toHaveProperty('roleArns');
  });

  it('refuses what cannot be a role, or flags that do not go together, with one line each', () => {
    expect(() => options({ roleArn: ['arn:aws:iam::1111:role/x'] })).toThrow('--role-arn "arn:aws:iam::1111:role/x" is not an IAM role ARN (expected e.g. arn:aws:iam::111122223333:role/lbcheck-audit)');
    expect(() => options({ roleArn: ['arn:aws:iam::111122223333:user/x'] })).toThrow('is not an IAM role ARN');
    expect(() => options({ orgRole: 'arn:aws:iam::111122223333:role/x' })).toThrow('--org-role "arn:aws:iam::111122223333:role/x" is not an IAM role name');
    expect(() => options({ orgRole: 'a', roleArn: ['arn:aws:iam::111122223333:role/x'] })).toThrow('--role-arn and --org-role cannot be used together');
    expect(() => options({ externalId: 'ext-1' })).toThrow('--external-id needs --role-arn or --org-role');
    expect(() => options({ orgRole: 'a', externalId: 'has space' })).toThrow('--external-id must be 2 to 1224 letters');
    expect(() => options({ orgRole: 'a', profile: ['one', 'two'] })).toThrow('--role-arn and --org-role assume roles with one set of credentials: give at most one --profile');
  });

  it('names the options as the front end spells them: the Action says "input role-arn", not the CLI flag', () => {
    const action = (extra: Partial<ScopeOptions>) => () => collectOptionsFrom({ ...base, ...extra }, silentProgress, { env: {}, names: ACTION_INPUT_NAMES });
    expect(action({ region: ['mars-1'] })).toThrow(/^input regions "mars-1" is not an AWS region name/);
    expect(action({ allRegions: true })).toThrow('input regions and input all-regions cannot be used together');
    expect(action({ externalId: 'ext-1' })).toThrow('input external-id needs input role-arn or input org-role');
    expect(action({ orgRole: 'a', profile: ['one', 'two'] })).toThrow('input role-arn and input org-role assume roles with one set of credentials: give at most one input profile');
    expect(action({ endpointUrl: 'ftp://x' })).toThrow(/^input endpoint-url must be an http/);
  });
});

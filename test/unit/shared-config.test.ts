/**
 * The region and endpoints of a profile, read as aws-cli reads them
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html): service-specific variable,
 * AWS_ENDPOINT_URL, the profile's services section, the profile's endpoint_url; AWS_REGION, AWS_DEFAULT_REGION,
 * the profile's region.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileSettings, serviceEndpointVariable } from '../../src/aws/shared-config.js';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lbcheck-shared-config-'));
  await writeFile(
    join(dir, 'config'),
    [
      '[default]',
      'region = us-east-1',
      'endpoint_url = http://default.example:1',
      '[profile audit]',
      'region = eu-west-1',
      'endpoint_url = http://audit.example:2/',
      'services = local-elb',
      '[profile quiet]',
      'endpoint_url = http://quiet.example:3',
      'ignore_configured_endpoint_urls = true',
      '[profile missing-services]',
      'services = nowhere',
      '[services local-elb]',
      'elastic_load_balancing_v2 =',
      '  endpoint_url = http://elbv2.example:4',
      '',
    ].join('\n'),
  );
  env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('profileSettings', () => {
  it("reads the named profile's endpoint_url and services section, not the default profile's", async () => {
    const settings = await profileSettings('audit', env);
    expect(settings).toEqual({
      profile: 'audit',
      region: { name: 'eu-west-1', source: 'profile audit' },
      endpoints: {
        ec2: { url: 'http://audit.example:2', source: 'endpoint_url of profile audit' },
        elbv2: { url: 'http://elbv2.example:4', source: 'elastic_load_balancing_v2 endpoint_url of services local-elb (profile audit)' },
        elb: { url: 'http://audit.example:2', source: 'endpoint_url of profile audit' },
        sts: { url: 'http://audit.example:2', source: 'endpoint_url of profile audit' },
        organizations: { url: 'http://audit.example:2', source: 'endpoint_url of profile audit' },
      },
    });
  });

  it('lets AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, win over the config file', async () => {
    const settings = await profileSettings('audit', { ...env, AWS_ENDPOINT_URL: 'http://env.example:5', [serviceEndpointVariable('sts')]: 'http://sts.example:6' });
    expect(serviceEndpointVariable('elbv2')).toBe('AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2');
    expect(settings.endpoints).toEqual({
      ec2: { url: 'http://env.example:5', source: 'AWS_ENDPOINT_URL' },
      elbv2: { url: 'http://env.example:5', source: 'AWS_ENDPOINT_URL' },
      elb: { url: 'http://env.example:5', source: 'AWS_ENDPOINT_URL' },
      sts: { url: 'http://sts.example:6', source: 'AWS_ENDPOINT_URL_STS' },
      organizations: { url: 'http://env.example:5', source: 'AWS_ENDPOINT_URL' },
    });
  });

  it('takes AWS_PROFILE, else default, when no profile is named', async () => {
    expect((await profileSettings(undefined, env)).endpoints.ec2).toEqual({ url: 'http://default.example:1', source: 'endpoint_url of profile default' });
    expect((await profileSettings(undefined, { ...env, AWS_PROFILE: 'audit' })).profile).toBe('audit');
  });

  it('ignores every configured endpoint when told to (the profile, or AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)', async () => {
    expect((await profileSettings('quiet', env)).endpoints).toEqual({});
    expect((await profileSettings('audit', { ...env, AWS_ENDPOINT_URL: 'http://env.example:5', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).endpoints).toEqual({});
    await expect(profileSettings('audit', { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'yes' })).rejects.toThrow('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be true or false, got "yes"');
  });

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION, then the profile', async () => {
    expect((await profileSettings('audit', { ...env, AWS_DEFAULT_REGION: 'ap-south-1' })).region).toEqual({ name: 'ap-south-1', source: 'AWS_DEFAULT_REGION' });
    expect((await profileSettings('audit', { ...env, AWS_REGION: 'sa-east-1', AWS_DEFAULT_REGION: 'ap-south-1' })).region).toEqual({ name: 'sa-east-1', source: 'AWS_REGION' });
    expect((await profileSettings('quiet', env)).region).toBeUndefined();
  });

  it('rejects a services section that is not there, and an endpoint that is not a URL, with one line', async () => {
    await expect(profileSettings('missing-services', env)).rejects.toThrow('profile missing-services names the services section "nowhere", which the AWS config file does not have');
    await expect(profileSettings('audit', { ...env, AWS_ENDPOINT_URL_EC2: 'localhost:5000' })).rejects.toThrow('AWS_ENDPOINT_URL_EC2 must be an http:// or https:// URL, got "localhost:5000"');
  });
});

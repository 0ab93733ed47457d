/**
 * The region and the per-service endpoints of one profile, read from the environment and the
 * shared config files the way aws-cli reads them. The SDK reads a configured endpoint itself
 * only for the default profile (AWS_PROFILE, else `default`): a client's own `profile` reaches
 * its credentials and region, never its `endpoint_url`, and it does not know AWS_DEFAULT_REGION.
 *
 * Endpoint precedence (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html):
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's `services` section, the profile's
 * `endpoint_url`; none of them when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
 * `ignore_configured_endpoint_urls` is true. (--endpoint-url, above them all, is the caller's.)
 * Region precedence (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html):
 * AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`.
 */
import { loadSharedConfigFiles } from '@smithy/core/config';
import { LbcheckError } from '../errors.js';
import { endpointUrlOf, type ConfiguredEndpoint } from './endpoint.js';

/** Each client's service id, as the SDK names it: AWS_ENDPOINT_URL_<ID> and the services section's keys are spelt from it. */
export const SERVICE_IDS = { ec2: 'EC2', elbv2: 'Elastic Load Balancing v2', elb: 'Elastic Load Balancing', sts: 'STS', organizations: 'Organizations' } as const;
export type ClientName = keyof typeof SERVICE_IDS;
export const CLIENT_NAMES = Object.keys(SERVICE_IDS) as ClientName[];

/** The endpoint each client was told to use; a client absent from it uses AWS's regional endpoint. */
export type ClientEndpoints = Partial<Record<ClientName, ConfiguredEndpoint>>;

export interface ProfileSettings {
  /** The profile in use: the one asked for, else AWS_PROFILE, else `default`. */
  profile: string;
  /** Its region, and where it came from (`AWS_DEFAULT_REGION`, `profile audit`). */
  region?: { name: string; source: string };
  endpoints: ClientEndpoints;
}

type Section = Record<string, string | undefined>;

/** `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`. */
export function serviceEndpointVariable(client: ClientName): string {
  return ['AWS_ENDPOINT_URL', ...SERVICE_IDS[client].split(' ').map((word) => word.toUpperCase())].join('_');
}

/** `elastic_load_balancing_v2`: the service's key in a services section. */
function servicesKey(client: ClientName): string {
  return SERVICE_IDS[client].split(' ').map((word) => word.toLowerCase()).join('_');
}

function isTrue(value: string | undefined, source: string): boolean {
  if (value === undefined || value === '') return false;
  const lower = value.trim().toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw new LbcheckError(`${source} must be true or false, got ${JSON.stringify(value)}`);
  return lower === 'true';
}

function configuredEndpoint(client: ClientName, profile: string, section: Section, configFile: Record<string, Section>, env: NodeJS.ProcessEnv): ConfiguredEndpoint | undefined {
  const variable = serviceEndpointVariable(client);
  const candidates: [string | undefined, string][] = [
    [env[variable], variable],
    [env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL'],
  ];
  if (section.services !== undefined) {
    const services = configFile[`services.${section.services}`];
    if (!services) throw new LbcheckError(`profile ${profile} names the services section ${JSON.stringify(section.services)}, which the AWS config file does not have`);
    candidates.push([services[`${servicesKey(client)}.endpoint_url`], `${servicesKey(client)} endpoint_url of services ${section.services} (profile ${profile})`]);
  }
  candidates.push([section.endpoint_url, `endpoint_url of profile ${profile}`]);
  for (const [value, source] of candidates) if (value) return { url: endpointUrlOf(value, source), source };
  return undefined;
}

/** What the environment and the shared config files say about `profile` (undefined: AWS_PROFILE, else `default`). */
export async function profileSettings(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProfileSettings> {
  const name = profile || env.AWS_PROFILE || 'default';
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    ...(env.AWS_CONFIG_FILE && { configFilepath: env.AWS_CONFIG_FILE }),
    ...(env.AWS_SHARED_CREDENTIALS_FILE && { filepath: env.AWS_SHARED_CREDENTIALS_FILE }),
  });
  // As the SDK merges them: the config file's settings win over the credentials file's.
  const section: Section = { ...credentialsFile[name], ...configFile[name] };
  const ignore =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== undefined && env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== ''
      ? isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')
      : isTrue(section.ignore_configured_endpoint_urls, `ignore_configured_endpoint_urls of profile ${name}`);
  const endpoints: ClientEndpoints = {};
  if (!ignore) {
    for (const client of CLIENT_NAMES) {
      const endpoint = configuredEndpoint(client, name, section, configFile as Record<string, Section>, env);
      if (endpoint) endpoints[client] = endpoint;
    }
  }
  return { profile: name, ...regionOf(name, section, env), endpoints };
}

function regionOf(profile: string, section: Section, env: NodeJS.ProcessEnv): Pick<ProfileSettings, 'region'> {
  if (env.AWS_REGION) return { region: { name: env.AWS_REGION, source: 'AWS_REGION' } };
  if (env.AWS_DEFAULT_REGION) return { region: { name: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' } };
  if (section.region) return { region: { name: section.region, source: `profile ${profile}` } };
  return {};
}

/**
 * Where the addresses `lbcheck probe` resolved live: the load balancer network interface
 * that holds each one, with its AZ and subnet. One read-only ec2:DescribeNetworkInterfaces
 * per address family and kind, filtered by the addresses themselves (and by the
 * "ELB ..." description every LB interface has), in the region the LB's DNS name names,
 * else the region the audit would use; to the EC2 endpoint the audit would use
 * (src/aws/shared-config.ts: the environment and the shared config files, as aws-cli reads them).
 *
 * Best effort by design: without credentials, permission or network the addresses simply
 * stay unplaced (the table says "unknown"); the probe itself never fails for it.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
 */
import { isIP } from 'node:net';
import { DescribeNetworkInterfacesCommand, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import { ApiCallCounter, createClients, destroyClients } from './clients.js';
import { networkInterfaceOf } from './collect-ec2.js';
import { profileSettings, type ProfileSettings } from './shared-config.js';
import { firstFew } from '../words.js';
import { getOrCreate } from '../engine/memo.js';

export interface AddressPlace {
  az: string;
  subnetId: string;
  networkInterfaceId: string;
}

export interface LocateOptions {
  /** The whole lookup gives up after this long (credentials included). */
  timeoutMs: number;
  /** Why a lookup gave up, for --debug. */
  debug?: (message: string) => void;
  /** Where the region and the endpoint are read from with the shared config files (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Tests hand in a client. */
  clientFor?: (region: string) => EC2Client;
}

/** AWS takes at most 200 values per filter. */
const VALUES_PER_FILTER = 200;
/** One try: an answer that does not come at once is not worth holding the probe report for. */
const LOOKUP_ATTEMPTS = 1;

/**
 * The region in an ELB DNS name: `NAME-ID.REGION.elb.amazonaws.com` (ALB, Classic),
 * `NAME-ID.elb.REGION.amazonaws.com` (NLB), with an optional `dualstack.` or `internal-` in
 * front. Undefined for any other name: the configured region is used then.
 */
export function regionOfElbName(host: string): string | undefined {
  const match = /\.(?:([a-z]{2}(?:-[a-z]+)+-\d+)\.elb|elb\.([a-z]{2}(?:-[a-z]+)+-\d+))\.amazonaws\.com(?:\.cn)?\.?$/.exec(host.toLowerCase());
  return match?.[1] ?? match?.[2];
}

/** The filters that find interfaces holding any of `ips`: public IPv4, private IPv4 and IPv6 are three different fields. */
export function addressFilters(ips: readonly string[]): Filter[][] {
  const v4 = ips.filter((ip) => isIP(ip) === 4);
  const v6 = ips.filter((ip) => isIP(ip) === 6);
  const chunks = (values: string[]) => Array.from({ length: Math.ceil(values.length / VALUES_PER_FILTER) }, (_, i) => values.slice(i * VALUES_PER_FILTER, (i + 1) * VALUES_PER_FILTER));
  const byField = [
    ...chunks(v4).map((values) => ({ Name: 'association.public-ip', Values: values })),
    ...chunks(v4).map((values) => ({ Name: 'addresses.private-ip-address', Values: values })),
    ...chunks(v6).map((values) => ({ Name: 'ipv6-addresses.ipv6-address', Values: values })),
  ];
  // Every load balancer interface is described "ELB app/NAME/ID", "ELB net/...", "ELB gwy/..." or "ELB NAME".
  return byField.map((filter) => [filter, { Name: 'description', Values: ['ELB *'] }]);
}

async function lookUp(client: EC2Client, ips: readonly string[], signal: AbortSignal): Promise<Map<string, AddressPlace>> {
  const wanted = new Set(ips);
  const places = new Map<string, AddressPlace>();
  // Each field's query stands alone: one that fails (an endpoint without that filter) keeps the others' answers.
  const answers = await Promise.allSettled(
    addressFilters(ips).map(async (filters) => {
      let token: string | undefined;
      do {
        const page = await client.send(new DescribeNetworkInterfacesCommand({ Filters: filters, ...(token && { NextToken: token }) }), { abortSignal: signal });
        for (const raw of page.NetworkInterfaces ?? []) {
          const eni = networkInterfaceOf(raw);
          for (const ip of [...eni.publicIps, ...eni.privateIpAddresses, ...eni.ipv6Addresses]) {
            if (wanted.has(ip)) places.set(ip, { az: eni.availabilityZone, subnetId: eni.subnetId, networkInterfaceId: eni.id });
          }
        }
        token = page.NextToken;
      } while (token);
    }),
  );
  const failed = answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected');
  if (failed && places.size === 0) throw failed.reason;
  return places;
}

/** An EC2 client as the audit makes one for `region`: the profile's endpoint, a deadline on every call, one try. */
function defaultClient(settings: ProfileSettings): (region: string) => { client: EC2Client; close(): void } {
  return (region) => {
    const clients = createClients({ region, endpoints: settings.endpoints, counter: new ApiCallCounter(), maxAttempts: LOOKUP_ATTEMPTS });
    return { client: clients.ec2, close: () => destroyClients(clients) };
  };
}

/** The addresses of each region: the one their name says, else the configured one; those with neither are left out (and said so). */
function addressesByRegion(hostsByIp: ReadonlyMap<string, string>, configured: string | undefined, debug: LocateOptions['debug']): Map<string, string[]> {
  const byRegion = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const [ip, host] of hostsByIp) {
    const region = regionOfElbName(host) ?? configured;
    if (region === undefined) unplaced.push(ip);
    else getOrCreate(byRegion, region, () => []).push(ip);
  }
  if (unplaced.length > 0) debug?.(`no AWS region (not in the names, AWS_REGION, AWS_DEFAULT_REGION or the profile) for ${firstFew(unplaced)}: AZ and subnet stay unknown`);
  return byRegion;
}

/**
 * The place of each address that belongs to an ELB network interface. `hostsByIp` says which
 * name each address came from, for its region. Addresses not found (or any failure) are absent.
 */
export async function locateAddresses(hostsByIp: ReadonlyMap<string, string>, options: LocateOptions): Promise<Map<string, AddressPlace>> {
  let settings: ProfileSettings;
  try {
    settings = await profileSettings(undefined, options.env);
  } catch (error) {
    options.debug?.(`could not read the AWS settings (AZ and subnet stay unknown): ${(error as Error).message}`);
    return new Map();
  }
  const byRegion = addressesByRegion(hostsByIp, settings.region?.name, options.debug);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const { clientFor } = options;
  const open = clientFor ? (region: string) => ({ client: clientFor(region), close: () => {} }) : defaultClient(settings);
  const results = await Promise.all(
    [...byRegion].map(async ([region, ips]) => {
      const { client, close } = open(region);
      // Credentials are resolved outside the request's abort signal (instance metadata, SSO): the deadline covers them too.
      const gaveUp = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error(`no answer within ${options.timeoutMs} ms`)), { once: true }));
      try {
        return await Promise.race([lookUp(client, ips, signal), gaveUp]);
      } catch (error) {
        options.debug?.(`could not place the addresses in ${region} (AZ and subnet stay unknown): ${(error as Error).name}: ${(error as Error).message}`);
        return new Map<string, AddressPlace>();
      } finally {
        close();
      }
    }),
  );
  return new Map(results.flatMap((result) => [...result]));
}

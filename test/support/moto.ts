/**
 * Access to the run's moto_server from a test file: its endpoint, fake credentials,
 * SDK clients pointed at it, and a region of the file's own so files do not see each
 * other's resources.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { inject } from 'vitest';

export const FAKE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** The env a child `lbcheck` process needs to talk to moto. */
export function motoEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: undefined,
    AWS_PROFILE: undefined,
  };
}

export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

export interface MotoClients {
  endpoint: string;
  region: string;
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  elb: ElasticLoadBalancingClient;
}

export function motoClients(region: string): MotoClients {
  const endpoint = motoEndpoint();
  const config = { endpoint, region, credentials: FAKE_CREDENTIALS, maxAttempts: 2 };
  return {
    endpoint,
    region,
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    elb: new ElasticLoadBalancingClient(config),
  };
}

/**
 * Regions moto answers (it serves any region name). Each integration test file takes
 * its own so parallel files never share state; tests within a file that need a clean
 * slate take distinct regions too.
 */
export const TEST_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'eu-south-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1',
  'ap-southeast-2', 'ca-central-1', 'sa-east-1', 'me-south-1', 'af-south-1', 'ap-east-1', 'eu-central-2',
] as const;

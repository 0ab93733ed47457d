import { describe, expect, it } from 'vitest';
import rule from '../../../rules/tls-listener-weak-policy.js';
import { isWeakCipher } from '../../../src/engine/tls.js';
import type { TlsPolicy } from '../../../src/inventory/model.js';
import { alb, classic, listener, nlb, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const MODERN: TlsPolicy = {
  name: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  protocols: ['TLSv1.3', 'TLSv1.2'],
  ciphers: ['TLS_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384'],
};
const OLD: TlsPolicy = {
  name: 'ELBSecurityPolicy-2016-08',
  protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
  ciphers: ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256', 'AES128-SHA', 'AES256-SHA'],
};
const CLASSIC_OLD: TlsPolicy = { name: 'AWSConsole-SSLNegotiationPolicy-legacy', referencePolicy: 'ELBSecurityPolicy-2015-05', protocols: ['TLSv1', 'TLSv1.2'], ciphers: ['ECDHE-RSA-AES128-SHA', 'DES-CBC3-SHA'] };

const https = (sslPolicy: string) => listener({ port: 443, protocol: 'HTTPS', sslPolicy, arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2' });
const oldAlb = alb({ name: 'web', listeners: [https(OLD.name)] });
const oldClassic = classic({ name: 'legacy', listeners: [listener({ port: 443, protocol: 'HTTPS', instancePort: 8080, tlsPolicy: CLASSIC_OLD })] });
const unresolved = nlb({ name: 'edge', listeners: [listener({ port: 443, protocol: 'TLS', sslPolicy: MODERN.name })] });

describe('isWeakCipher', () => {
  it('calls broken and non-forward-secret ciphers weak, (EC)DHE and TLS 1.3 suites not', () => {
    expect(['DES-CBC3-SHA', 'RC4-SHA', 'AES128-GCM-SHA256', 'AES256-SHA'].filter(isWeakCipher)).toHaveLength(4);
    expect(['TLS_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-SHA384', 'DHE-RSA-AES128-GCM-SHA256'].filter(isWeakCipher)).toEqual([]);
  });
});

ruleTester(rule).run({
  valid: [
    { name: 'an ALB on a current TLS 1.2+ forward-secret policy', scope: scopeOf({ loadBalancers: [alb({ name: 'web', listeners: [https(MODERN.name)] })], sslPolicies: [MODERN, OLD] }) },
    { name: 'plain HTTP and TCP listeners have no policy', scope: scopeOf({ loadBalancers: [alb({ name: 'web', listeners: [listener({ port: 80, protocol: 'HTTP' })] })], sslPolicies: [] }) },
  ],
  invalid: [
    {
      name: 'an ALB on ELBSecurityPolicy-2016-08 and a Classic LB referencing ELBSecurityPolicy-2015-05',
      scope: scopeOf({ loadBalancers: [oldAlb, oldClassic], sslPolicies: [MODERN, OLD] }),
      expect: [
        {
          resourceArn: oldAlb.arn,
          messageIncludes: "ALB web's HTTPS listener on port 443 uses policy ELBSecurityPolicy-2016-08, which accepts TLSv1, TLSv1.1 and enables 3 weak or non-forward-secret ciphers (AES128-GCM-SHA256, AES128-SHA, AES256-SHA)", fixIncludes: '--ssl-policy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
          evidence: { sslPolicy: OLD.name, oldProtocols: ['TLSv1', 'TLSv1.1'], weakCiphers: ['AES128-GCM-SHA256', 'AES128-SHA', 'AES256-SHA'] },
          discriminator: '443',
        },
        { resourceArn: oldClassic.arn, messageIncludes: 'uses policy ELBSecurityPolicy-2015-05, which accepts TLSv1 and enables 1 weak', fixIncludes: 'ELBSecurityPolicy-TLS-1-2-2017-01', evidence: { referencePolicy: 'ELBSecurityPolicy-2015-05', weakCiphers: ['DES-CBC3-SHA'] } },
      ],
    },
    {
      name: 'policies that were not collected: could not check, not a pass',
      scope: scopeOf({ loadBalancers: [unresolved, classic({ name: 'legacy', listeners: [listener({ port: 443, protocol: 'SSL' })] })] }),
      expect: [
        { resourceArn: unresolved.arn, messageIncludes: ["lbcheck could not check the TLS versions and ciphers of NLB edge's TLS listener on port 443", 'DescribeSSLPolicies'], severity: 'warning' },
        { resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/legacy', messageIncludes: 'DescribeLoadBalancerPolicies', severity: 'warning' },
      ],
    },
  ],
});

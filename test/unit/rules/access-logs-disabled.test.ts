import rule from '../../../rules/access-logs-disabled.js';
import { alb, classic, listener, nlb, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const logs = (accessLogsEnabled: boolean | undefined) => ({ crossZoneEnabled: true, accessLogsEnabled, raw: {} });
const silentAlb = alb({ name: 'web', attributes: logs(false) });
const silentClassic = classic({ name: 'legacy', attributes: logs(false) });
const silentTlsNlb = nlb({ name: 'tls', attributes: logs(false), listeners: [listener({ port: 443, protocol: 'TLS' })] });

ruleTester(rule).run({
  valid: [
    { name: 'an ALB and a Classic LB that log', scope: scopeOf({ loadBalancers: [alb({ name: 'web', attributes: logs(true) }), classic({ name: 'legacy', attributes: logs(true) })] }) },
    { name: 'an NLB without a TLS listener has nothing to log', scope: scopeOf({ loadBalancers: [nlb({ name: 'tcp', attributes: logs(false), listeners: [listener({ port: 443, protocol: 'TCP' })] })] }) },
  ],
  invalid: [
    {
      name: 'an ALB, a Classic LB and an NLB with a TLS listener, none logging',
      scope: scopeOf({ loadBalancers: [silentAlb, silentClassic, silentTlsNlb] }),
      expect: [
        { resourceArn: silentAlb.arn, messageIncludes: 'ALB web writes no access logs', fixIncludes: 'Key=access_logs.s3.enabled,Value=true', evidence: { accessLogsEnabled: false, attribute: 'access_logs.s3.enabled' } },
        { resourceArn: silentClassic.arn, messageIncludes: 'Classic LB legacy writes no access logs', fixIncludes: 'AccessLog={Enabled=true', evidence: { attribute: 'AccessLog.Enabled' } },
        { resourceArn: silentTlsNlb.arn, messageIncludes: 'NLB tls writes no access logs' },
      ],
    },
  ],
});

import rule, { ALLOW_HTTP_TAG } from '../../../rules/http-listener-without-https-redirect.js';
import { alb, classic, listener, nlb, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const LISTENER_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
const plain = alb({ name: 'web', listeners: [listener({ port: 80, protocol: 'HTTP', arn: LISTENER_ARN }), listener({ port: 443, protocol: 'HTTPS' })] });
const plainClassic = classic({ name: 'legacy', listeners: [listener({ port: 80, protocol: 'HTTP', instancePort: 8080 })] });

ruleTester(rule).run({
  valid: [
    { name: 'an ALB whose HTTP listener redirects to HTTPS', scope: scopeOf({ loadBalancers: [alb({ name: 'web', listeners: [listener({ port: 80, protocol: 'HTTP', redirectsToHttps: true })] })] }) },
    {
      name: `a load balancer tagged ${ALLOW_HTTP_TAG} with a reason`,
      scope: scopeOf({ loadBalancers: [alb({ name: 'acme', tags: { [ALLOW_HTTP_TAG]: 'ACME HTTP-01 challenges' }, listeners: [listener({ port: 80, protocol: 'HTTP' })] })] }),
    },
    { name: 'an NLB TCP listener on 80 is not an HTTP listener', scope: scopeOf({ loadBalancers: [nlb({ name: 'edge', listeners: [listener({ port: 80, protocol: 'TCP' })] })] }) },
  ],
  invalid: [
    {
      name: 'an ALB serving plain HTTP, and a Classic LB (which cannot redirect)',
      scope: scopeOf({ loadBalancers: [plain, plainClassic] }),
      expect: [
        {
          resourceArn: plain.arn,
          messageIncludes: 'ALB web serves plain HTTP on port 80 without redirecting to HTTPS', fixIncludes: [`aws elbv2 modify-listener --listener-arn ${LISTENER_ARN}`, `${ALLOW_HTTP_TAG}=REASON`],
          evidence: { listenerPort: 80, listenerArn: LISTENER_ARN, redirectsToHttps: false },
          discriminator: '80',
        },
        { resourceArn: plainClassic.arn, messageIncludes: 'Classic LB legacy serves plain HTTP on port 80', fixIncludes: 'A Classic LB cannot redirect' },
      ],
    },
    {
      name: 'an empty tag value declares nothing',
      scope: scopeOf({ loadBalancers: [alb({ name: 'web', tags: { [ALLOW_HTTP_TAG]: ' ' }, listeners: [listener({ port: 8080, protocol: 'HTTP' })] })] }),
      expect: [{ resourceArn: plain.arn, messageIncludes: 'port 8080' }],
    },
  ],
});

// WAF web ACL of the ingest distribution (CLOUDFRONT scope, us-east-1): a per-IP rate limit and managed rules fit for a JSON API.
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';

/**
 * Managed rule groups, in order. The common rule set's body rules are set to count only: ingest bodies
 * are JSON batches far over its 8 KB size rule, and event metadata is free text its XSS rule would
 * misread. Everything else in them blocks.
 */
export const MANAGED_RULE_GROUPS: Array<{ name: string; countOnly: string[] }> = [
  { name: 'AWSManagedRulesAmazonIpReputationList', countOnly: [] },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: [] },
  { name: 'AWSManagedRulesCommonRuleSet', countOnly: ['SizeRestrictions_BODY', 'CrossSiteScripting_BODY'] },
];

/** The web ACL; the first wall against floods of forged keys is the rate rule, before any Lambda runs. */
export class IngestWaf extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${config.prefix}-ingest`,
      description: 'LLM Observer ingest: per-IP rate limit, IP reputation, known bad inputs, common rules',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${config.prefix}-ingest`),
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: config.wafRequestsPerIpPer5Min,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility(`${config.prefix}-ingest-rate`),
        },
        ...MANAGED_RULE_GROUPS.map((group, i) => ({
          name: group.name,
          priority: i + 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: group.name,
              ruleActionOverrides: group.countOnly.map((name) => ({ name, actionToUse: { count: {} } })),
            },
          },
          visibilityConfig: visibility(`${config.prefix}-${group.name}`),
        })),
      ],
    });
  }
}

// Unit tests of the optional RDS Proxy: Lambdas then reach Aurora only through it, with TLS required.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_ENV } from './runtime-env.ts';
import { testCoreStack } from './test-support.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  template = Template.fromStack(testCoreStack({ useRdsProxy: 'true' }));
  resources = template.toJSON().Resources as Record<string, Resource>;
}, 180_000);

const idOf = (prefix: string, type: string) => {
  const found = Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${found.length}`);
  return (found[0] as [string, Resource])[0];
};

describe('core stack with RDS Proxy', () => {
  it('fronts the cluster with a TLS-only proxy holding every role secret', () => {
    template.hasResourceProperties('AWS::RDS::DBProxy', { EngineFamily: 'POSTGRESQL', RequireTLS: true });
    const [, proxy] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::RDS::DBProxy') as [
      string,
      Resource,
    ];
    expect(proxy.Properties.Auth).toHaveLength(3);
  });

  it('points every database URL and host at the proxy endpoint', () => {
    const proxyId = idOf('DatabaseClusterProxy', 'AWS::RDS::DBProxy');
    const functions = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(r.Properties.Environment ?? {}).includes(RUNTIME_ENV.databaseHost),
    );
    expect(functions).toHaveLength(8);
    for (const fn of functions) {
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const targets = Object.entries(env).filter(
        ([k]) => k.endsWith('DATABASE_URL') || k === RUNTIME_ENV.databaseHost,
      );
      expect(targets.length, String(fn.Properties.Description)).toBeGreaterThan(0);
      for (const [, value] of targets) {
        expect(JSON.stringify(value)).toContain(`"Fn::GetAtt":["${proxyId}","Endpoint"]`);
      }
    }
  });

  it('admits the Lambdas to the proxy and only the proxy to the cluster', () => {
    const client = idOf('DatabaseClientSg', 'AWS::EC2::SecurityGroup');
    const proxySg = idOf('DatabaseProxySg', 'AWS::EC2::SecurityGroup');
    const ingress = Object.values(resources)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress')
      .map((r) => [JSON.stringify(r.Properties.SourceSecurityGroupId), JSON.stringify(r.Properties.GroupId)]);
    const gid = (id: string) => JSON.stringify({ 'Fn::GetAtt': [id, 'GroupId'] });
    const cluster = idOf('DatabaseClusterSecurityGroup', 'AWS::EC2::SecurityGroup');
    expect(ingress).toContainEqual([gid(client), gid(proxySg)]);
    expect(ingress).toContainEqual([gid(proxySg), gid(cluster)]);
    expect(ingress.some(([src, dst]) => src === gid(client) && dst === gid(cluster))).toBe(false);
    // Besides the proxy, only the password rotation functions reach the cluster directly.
    const direct = ingress.filter(([, dst]) => dst === gid(cluster)).map(([src]) => src);
    expect(direct.filter((src) => src !== gid(proxySg)).every((src) => src?.includes('Rotation'))).toBe(true);
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesize } from './support.js';

const { app, templates } = synthesize('dev');
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
const resources = (stack: string) => (templates.get(stack)?.toJSON().Resources ?? {}) as Resources;
const hosting = resources('Inventory-dev-ConsoleHosting');
const ofType = (from: Resources, type: string) => Object.entries(from).filter(([, r]) => r.Type === type);

describe('the console stacks', () => {
  it('keep the site bucket private: no public access, readable only by the distribution, over TLS', () => {
    // Prepare
    const [siteId, site] =
      ofType(hosting, 'AWS::S3::Bucket').find(([id]) => id.startsWith('ConsoleSite')) ?? [];
    const policy = ofType(hosting, 'AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: siteId }),
    )?.[1];

    // Act
    const statements = (policy?.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;

    // Assess
    expect(site?.Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(allows[0]?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(allows[0]?.Condition)).toContain('AWS:SourceArn');
    expect(
      statements.some(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport'),
      ),
    ).toBe(true);
  });

  it('serve the console through origin access control, HTTPS only, with strict security headers', () => {
    // Prepare
    const [, distribution] = ofType(hosting, 'AWS::CloudFront::Distribution')[0] ?? [];
    const [, headers] = ofType(hosting, 'AWS::CloudFront::ResponseHeadersPolicy')[0] ?? [];
    const config = distribution?.Properties?.DistributionConfig as {
      Origins: Record<string, unknown>[];
      DefaultCacheBehavior: Record<string, unknown>;
    };

    // Act
    const origin = config.Origins[0];
    const behavior = config.DefaultCacheBehavior;
    const security = (
      headers?.Properties?.ResponseHeadersPolicyConfig as Record<
        string,
        Record<string, Record<string, unknown>>
      >
    ).SecurityHeadersConfig;

    // Assess
    expect(origin?.OriginAccessControlId).toBeDefined();
    expect(origin?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior.ResponseHeadersPolicyId).toBeDefined();
    const csp = JSON.stringify(security?.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(security?.FrameOptions?.FrameOption).toBe('DENY');
    expect(security?.StrictTransportSecurity?.Override).toBe(true);
    expect(security?.ContentTypeOptions?.Override).toBe(true);
  });

  it('upload the built console with a config.json naming the API, the hosted UI and the app client', () => {
    // Prepare
    const [, deployment] = ofType(resources('Inventory-dev-Console'), 'Custom::CDKBucketDeployment')[0] ?? [];

    // Act
    const markers = JSON.stringify(deployment?.Properties?.SourceMarkers);

    // Assess
    expect(deployment?.Properties?.SourceObjectKeys).toHaveLength(2);
    expect(markers).toMatch(/Inventory-dev-Api:ExportsOutputRefApiHttpApi/);
    expect(markers).toMatch(/Inventory-dev:ExportsOutputRefIdentityUsersHostedUi/);
    expect(markers).toMatch(/Inventory-dev:ExportsOutputRefIdentityUsersApiClient/);
    expect(deployment?.Properties?.DistributionPaths).toEqual(['/*']);
    for (const file of ['index.html', 'app.js', 'app.css', 'uPlot.min.css'])
      expect(existsSync(join(app.outdir, 'console-files', file)), file).toBe(true);
  });
});

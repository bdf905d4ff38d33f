import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ConsoleHostingProps {
  /**
   * The site bucket's name: known before deployment, so that the Console stack's upload is granted that bucket
   * by name (and its cdk-nag finding names it).
   */
  readonly bucketName: string;
}

/**
 * Where the operator console is served from: a private bucket that only the CloudFront distribution reads (origin
 * access control, no public access, TLS only), behind a response headers policy that sets a strict content
 * security policy (the console's own scripts and styles only; it talks to the region's API Gateway and Cognito
 * endpoints), HSTS, no framing, no sniffing and no referrer. The distribution's and the bucket's access logs go
 * to a log bucket.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution domain>/: the console's address, its sign-in callback and logout URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL: the log bucket must accept the writer's ownership.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      // Access logs are records: the bucket outlives the stack, and empties itself in 90 days.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'The access-log bucket of the console: logging its own accesses would log the logging.',
    });
    this.bucket = new Bucket(this, 'Site', {
      bucketName: props.bucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      // The console's files are rebuilt at every deployment; the Console stack's deployment removes them when
      // it is deleted (before this stack, which it depends on), so the empty bucket goes with this stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const region = Stack.of(this).region;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Operator console: strict CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            `connect-src 'self' https://*.execute-api.${region}.amazonaws.com wss://*.execute-api.${region}.amazonaws.com https://*.auth.${region}.amazoncognito.com`,
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
          ].join('; '),
        },
        strictTransportSecurity: {
          override: true,
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
        },
        frameOptions: { override: true, frameOption: HeadersFrameOption.DENY },
        contentTypeOptions: { override: true },
        referrerPolicy: { override: true, referrerPolicy: HeadersReferrerPolicy.NO_REFERRER },
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Inventory operator console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
    });
    const distributionReasons = {
      'AwsSolutions::AwsSolutions-CFR1':
        'The console is for operators wherever they are; what it shows is guarded by the API, not by geography.',
      'AwsSolutions::AwsSolutions-CFR2':
        "The distribution serves only the console's static files, the same to everyone; the API has its own throttling.",
      'AwsSolutions::AwsSolutions-CFR4':
        "The distribution uses CloudFront's default certificate (*.cloudfront.net), whose TLS policy cannot be set; a custom domain with its own certificate would set TLSv1.2_2021.",
    };
    for (const [id, reason] of Object.entries(distributionReasons))
      Validations.of(this.distribution).acknowledge({ id, reason });
    this.url = `https://${this.distribution.distributionDomainName}/`;
  }
}

import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { buildConsole } from '../console/build.js';
import type { ConsoleHosting } from '../constructs/console-hosting.js';
import type { Identity } from '../constructs/identity.js';
import { consoleBucketName } from './console-hosting-stack.js';

export interface ConsoleStackProps extends StackProps {
  readonly hosting: ConsoleHosting;
  /** The environment's name (the site bucket is named after it: consoleBucketName). */
  readonly environment: string;
  readonly identity: Identity;
  /** The HTTP API's base URL. */
  readonly apiUrl: string;
  /** The live feed's WebSocket URL, when the environment has one. */
  readonly liveUrl?: string;
  /** Where the console is built before it is uploaded (a fresh folder of the synthesis). */
  readonly buildDir: string;
  readonly logRetentionDays: RetentionDays;
  readonly retainLogs: boolean;
}

/**
 * `Inventory-<env>-Console`: the console's files, built while the app synthesizes, uploaded to the hosting
 * stack's bucket with a `config.json` that tells the console the API's URL, the live feed's and how to sign in
 * (the Cognito hosted UI's domain and the app client, authorization code with PKCE); the distribution's cache
 * is invalidated at each upload.
 */
export class ConsoleStack extends Stack {
  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { identity } = props;
    const auth =
      identity.userPoolClient && identity.hostedUiDomain
        ? {
            kind: 'cognito',
            domain: identity.hostedUiDomain,
            clientId: identity.userPoolClient.userPoolClientId,
          }
        : // An external identity provider: the console takes a pasted bearer token.
          { kind: 'token', demoCallers: null };
    // The bucket by its name (not a cross-stack reference): the upload's grant names that bucket alone.
    const bucket = Bucket.fromBucketName(this, 'Site', consoleBucketName(props.environment));
    const distribution = Distribution.fromDistributionAttributes(this, 'Distribution', {
      distributionId: props.hosting.distribution.distributionId,
      domainName: props.hosting.distribution.distributionDomainName,
    });
    this.addStackDependency(Stack.of(props.hosting));
    // The upload's own role and log group (not CDK's defaults): no AWS managed policy, the environment's retention.
    const logs = new LogGroup(this, 'UploadLogs', {
      retention: props.logRetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'UploadRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: "Uploads the operator console's files (CDK BucketDeployment)",
    });
    logs.grantWrite(role);
    new BucketDeployment(this, 'Files', {
      role,
      logGroup: logs,
      destinationBucket: bucket,
      distribution,
      distributionPaths: ['/*'],
      sources: [
        Source.asset(buildConsole(props.buildDir)),
        Source.jsonData('config.json', { apiUrl: props.apiUrl, liveUrl: props.liveUrl ?? null, auth }),
      ],
      prune: true,
      retainOnDelete: false,
      memoryLimit: 256,
    });
    const handlerReason =
      "CDK's BucketDeployment handler (a CloudFormation custom resource run at each deployment, its runtime chosen by aws-cdk-lib): it writes its own log group, reads the CDK asset bucket's objects, writes and deletes the keys of the console's bucket, and invalidates the distribution (an invalidation names no resource).";
    const findings = [
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::inventory-${props.environment}-console-<AWS::AccountId>-<AWS::Region>/*]`,
      'AwsSolutions-L1',
    ];
    for (const finding of findings)
      Validations.of(this).acknowledge({ id: `AwsSolutions::${finding}`, reason: handlerReason });
    for (const finding of ['LambdaDLQ', 'LambdaLatestVersion', 'LambdaTracing'])
      Validations.of(this).acknowledge({
        id: `Serverless::Serverless-${finding}`,
        reason: `${handlerReason} CloudFormation reports its failure; it has no events to trace or redeliver.`,
      });
  }
}

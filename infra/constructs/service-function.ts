import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLE } from '../bundling.js';
import { POWERTOOLS_SERVICE_NAME } from '../function-environment.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServiceFunctionProps {
  /** The kebab-case file name in functions/, without extension. */
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  readonly memoryMb?: number;
  readonly timeout?: Duration;
  readonly description?: string;
  /** For asynchronously invoked functions: where an invocation that failed all its retries goes. */
  readonly deadLetterQueue?: IQueue;
}

/**
 * One Lambda function from one file in functions/: bundled with esbuild (no Docker), arm64, Node.js 24,
 * X-Ray tracing, JSON logs in its own log group with a retention, Powertools' service name set (the metrics
 * namespace, per environment, comes with the environment: infra/function-environment.ts).
 * Everything but the AWS SDK is bundled at the versions the lockfile pins; the SDK is the runtime's (ADR 17).
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  /** The entry point it is built from, relative to the repository root (the local runtime loads the same file). */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.entry = `functions/${props.handler}.ts`;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Its own role: writes to its own log group only (no AWS managed policy), plus what each construct grants.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.handler}`,
    });
    logGroup.grantWrite(role);
    this.fn = new NodejsFunction(this, 'Function', {
      role,
      entry: join(REPO_ROOT, this.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      description: props.description ?? props.handler,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME,
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: LAMBDA_BUNDLE.target,
        // Warnings and errors only: no size table per function in every synthesis (ADR 16).
        logLevel: LogLevel.WARNING,
        format: OutputFormat.ESM,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        externalModules: [...LAMBDA_BUNDLE.external],
        banner: LAMBDA_BUNDLE.banner,
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
    });
    if (!props.deadLetterQueue) {
      Validations.of(this.fn).acknowledge({
        id: 'Serverless::Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously (API Gateway) or by an event source mapping with its own on-failure destination; a function DLQ only catches asynchronous invocations.',
      });
    }
  }
}

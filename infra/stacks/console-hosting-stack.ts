import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConsoleHosting } from '../constructs/console-hosting.js';

export interface ConsoleHostingStackProps extends StackProps {
  /** The environment's name, in the site bucket's name. */
  readonly environment: string;
}

/** The console's site bucket: one per environment, account and region. */
export const consoleBucketName = (environment: string) =>
  `inventory-${environment}-console-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/**
 * `Inventory-<env>-ConsoleHosting`: the console's bucket and distribution (ADR 28). It deploys first: the user
 * pool's app client (in the stateful stack) needs the console's address as its callback URL, and the files with
 * their config.json (the Console stack) need the API's URL, so the address is made before both.
 */
export class ConsoleHostingStack extends Stack {
  readonly hosting: ConsoleHosting;

  constructor(scope: Construct, id: string, props: ConsoleHostingStackProps) {
    super(scope, id, props);
    this.hosting = new ConsoleHosting(this, 'Console', {
      bucketName: consoleBucketName(props.environment),
    });
    new CfnOutput(this, 'ConsoleUrl', { value: this.hosting.url, description: 'The operator console' });
  }
}

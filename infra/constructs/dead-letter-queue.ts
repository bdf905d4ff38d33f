import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** An encrypted, TLS-only dead-letter queue that keeps failed messages for 14 days. */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason =
      'This queue is itself a dead-letter queue (of a scheduler target, an event source mapping, a pipe or a rule target); it has no consumer to redrive from.';
    Validations.of(this.queue).acknowledge({ id: 'AwsSolutions::AwsSolutions-SQS3', reason });
    Validations.of(this.queue).acknowledge({ id: 'Serverless::Serverless-SQSRedrivePolicy', reason });
  }
}

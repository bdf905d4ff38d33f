import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  CHANGE_FEED_BATCH_SIZE,
  CHANGE_FEED_MAX_LAG,
  CHANGE_FEED_RETRY_ATTEMPTS,
} from '../../infra/constructs/change-feed.js';
import { LEVEL_CHANGE_FILTER } from '../../shared/changes/streams/level-change-filter.js';
import { resourcesOf, synthesize } from './support.js';

const dev = synthesize('dev');

/** What a stream event source mapping grants on the stream itself (CDK's own grant). */
const STREAM_ACTIONS = new Set([
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
]);

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

const idOf = (template: Template, type: string, prefix: string): string => {
  const ids = resourcesOf(template, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0] as string;
};

const writer = idOf(dev.template, 'AWS::Lambda::Function', 'ChangeFeedWriterFunction');
const table = idOf(dev.template, 'AWS::DynamoDB::GlobalTable', 'Data');

function dynamoStatementsOf(policyPrefix: string): Statement[] {
  return resourcesOf(dev.template, 'AWS::IAM::Policy')
    .filter(([id]) => id.startsWith(policyPrefix))
    .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:') && !STREAM_ACTIONS.has(a)));
}

describe('the change feed in the cloud', () => {
  it("feeds the writer the table's level writes from the stream's oldest record, one batch per shard at a time, dead-lettering a batch that keeps failing", () => {
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: writer },
      EventSourceArn: { 'Fn::GetAtt': [table, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: CHANGE_FEED_BATCH_SIZE,
      MaximumRetryAttempts: CHANGE_FEED_RETRY_ATTEMPTS,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(LEVEL_CHANGE_FILTER) }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('adds one reader to the stream, not one per consumer', () => {
    const mappings = resourcesOf(dev.template, 'AWS::Lambda::EventSourceMapping').filter(([, m]) =>
      JSON.stringify(m.Properties?.FilterCriteria ?? {}).includes('Level'),
    );
    expect(mappings).toHaveLength(1);
  });

  it('lets the writer read movements, the feed, the aggregates and locations, and write only the feed and the aggregates', () => {
    const grants = dynamoStatementsOf('ChangeFeedWriterRoleDefaultPolicy');
    const keysOf = (action: string) =>
      grants
        .filter((s) => [s.Action].flat().includes(action))
        .map(
          (s) =>
            (s.Condition as Record<string, Record<string, unknown>>)['ForAllValues:StringLike']?.[
              'dynamodb:LeadingKeys'
            ],
        );

    expect(keysOf('dynamodb:GetItem')).toEqual([['LEDGER#*', 'CHANGES#*', 'ANALYTICS#*', 'LOCATIONS*']]);
    expect(keysOf('dynamodb:PutItem')).toEqual([['CHANGES#*']]);
    expect(keysOf('dynamodb:UpdateItem')).toEqual([['CHANGES#*', 'ANALYTICS#*']]);
    expect(grants.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
  });

  it('alarms, to the alarm topic, on failures, dead letters and a feed falling behind the table', () => {
    const alarms = resourcesOf(dev.template, 'AWS::CloudWatch::Alarm').map(([id, a]) => ({
      id,
      ...a.Properties,
    }));
    const named = (prefix: string) => alarms.filter((a) => a.id.startsWith(prefix));
    for (const prefix of [
      'BackgroundAlarmsChangeFeedWriterErrors',
      'BackgroundAlarmsChangeFeedWriterDlqDepth',
      'BackgroundAlarmsChangeFeedLag',
    ]) {
      expect(named(prefix), prefix).toHaveLength(1);
      expect((named(prefix)[0] as { AlarmActions?: unknown[] }).AlarmActions, prefix).toHaveLength(1);
    }
    expect(named('BackgroundAlarmsChangeFeedLag')[0]).toMatchObject({
      MetricName: 'IteratorAge',
      Threshold: CHANGE_FEED_MAX_LAG.toMilliseconds(),
    });
  });
});

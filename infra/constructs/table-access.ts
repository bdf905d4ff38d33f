import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { TABLE_SCHEMA } from '../../shared/platform/store/table-definition.js';

export type IndexName = (typeof TABLE_SCHEMA.globalIndexes)[number]['indexName'];

export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/**
 * Grants exactly the DynamoDB actions a function uses, on the table (and its indexes when it queries them).
 * A transaction is authorised item by item (PutItem, UpdateItem, ConditionCheckItem), so no broader grant is
 * needed for TransactWriteItems.
 */
export function grantTable(
  grantee: IGrantable,
  table: ITableV2,
  actions: readonly TableAction[],
  options: { indexes?: readonly IndexName[] } = {},
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: actions.map((a) => `dynamodb:${a}`),
      resources: [
        table.tableArn,
        ...(options.indexes ?? []).map((index) => `${table.tableArn}/index/${index}`),
      ],
    }),
  );
}

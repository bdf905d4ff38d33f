import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../shared/platform/store/table-definition.js';

export interface DataProps {
  readonly retainData: boolean;
}

const attributeType = (type: 'S' | 'N') => (type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);

/**
 * The inventory table, built from the one schema in shared/platform/store/table-definition.ts (the local runtime and
 * the tests create theirs from the same object): keys, the sparse hold indexes, TTL, the stream that feeds the
 * event pipe and the TTL backstop, point-in-time recovery; prod keeps it on stack deletion and protects it.
 */
export class Data extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: {
        name: TABLE_SCHEMA.partitionKey.name,
        type: attributeType(TABLE_SCHEMA.partitionKey.type),
      },
      sortKey: { name: TABLE_SCHEMA.sortKey.name, type: attributeType(TABLE_SCHEMA.sortKey.type) },
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: TABLE_SCHEMA.globalIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
        sortKey: { name: index.sortKey.name, type: attributeType(index.sortKey.type) },
        ...(index.projection === 'KEYS_ONLY'
          ? { projectionType: ProjectionType.KEYS_ONLY }
          : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.nonKeyAttributes] }),
      })),
    });
  }
}

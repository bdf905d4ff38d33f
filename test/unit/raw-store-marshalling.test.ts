import { describe, expect, it } from 'vitest';
import { marshalledItem } from '../../bench/raw-store.js';

describe("the benchmark's low-level sender", () => {
  it('marshals the item, key and values of a transaction step and keeps its expressions', () => {
    // Prepare
    const update = {
      Update: {
        TableName: 'inventory',
        Key: { pk: 'SKU#A#WH-1', sk: 'LEVEL#0' },
        UpdateExpression: 'SET available = available - :q',
        ConditionExpression: 'available >= :q',
        ExpressionAttributeValues: { ':q': 2 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
    const put = {
      Put: { TableName: 'inventory', Item: { pk: 'RES#1', sk: 'RESERVATION', reference: null } },
    };

    // Act
    const updated = marshalledItem(update);
    const written = marshalledItem(put);

    // Assess
    expect(updated).toEqual({
      Update: {
        TableName: 'inventory',
        Key: { pk: { S: 'SKU#A#WH-1' }, sk: { S: 'LEVEL#0' } },
        UpdateExpression: 'SET available = available - :q',
        ConditionExpression: 'available >= :q',
        ExpressionAttributeValues: { ':q': { N: '2' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
    expect(written).toEqual({
      Put: {
        TableName: 'inventory',
        Item: { pk: { S: 'RES#1' }, sk: { S: 'RESERVATION' }, reference: { NULL: true } },
      },
    });
  });
});

// Writes key-cache items to DynamoDB, never letting an older version overwrite a newer one.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyCacheItem } from '../../contract/index.ts';

/** Destination of propagated key states. */
export type KeyCacheWriter = {
  /** Resolves `written`, or `superseded` when DynamoDB already holds this or a newer version. */
  put(item: KeyCacheItem): Promise<'written' | 'superseded'>;
};

/** A writer on the key-cache table; `client` is a plain DynamoDBClient (region/endpoint chosen by the caller). */
export function dynamoKeyCacheWriter(client: DynamoDBClient, tableName: string): KeyCacheWriter {
  const doc = DynamoDBDocumentClient.from(client);
  return {
    async put(item) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#p) OR #v < :v',
            ExpressionAttributeNames: { '#p': 'prefix', '#v': 'version' },
            ExpressionAttributeValues: { ':v': item.version },
          }),
        );
        return 'written';
      } catch (error) {
        // Same or newer version already there: the outbox row's job is done.
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return 'superseded';
        throw error;
      }
    },
  };
}

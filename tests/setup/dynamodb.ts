/**
 * Starts one real Amazon DynamoDB Local (in memory, on a free port) for the whole test run, and stops
 * it after. Tests read its URL from the DYNAMODB_URL environment variable (inherited by workers and
 * by the binary the CLI tests run) and use a table name of their own.
 */
import type { TestProject } from 'vitest/node';
import { freePort, startDynamoDbLocal, type LocalDynamo } from '../../src/aws/local-dynamodb.js';

let dynamo: LocalDynamo | undefined;

export async function setup(_project: TestProject): Promise<void> {
  dynamo = await startDynamoDbLocal({ port: await freePort() });
  process.env.DYNAMODB_URL = dynamo.url;
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

/** Which stream of a table the handler can read: the one place that says a table's stream is unusable. */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';

/** The table's stream ARN, or a clear error when it has none the handler can use. */
export function streamOf(table: string, description: TableDescription): string {
  const spec = description.StreamSpecification;
  const enable = `aws dynamodb update-table --table-name ${table} --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE`;
  if (!spec?.StreamEnabled || !description.LatestStreamArn) {
    throw new CliError('stream.disabled', `Table "${table}" has no stream enabled`, {
      hint: `Enable it with \`${enable}\` (add --endpoint-url for DynamoDB Local); \`npx cruddur-ddb schema-load\` creates tables with it`,
    });
  }
  if (spec.StreamViewType === 'KEYS_ONLY' || spec.StreamViewType === 'OLD_IMAGE') {
    throw new CliError('stream.no_new_image', `The stream of "${table}" is ${spec.StreamViewType}, but the handler needs each new message (NEW_IMAGE)`, {
      hint: `Disable it (StreamEnabled=false), then \`${enable}\``,
    });
  }
  return description.LatestStreamArn;
}

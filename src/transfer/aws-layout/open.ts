/**
 * Whether what `import` or `copy --from` was given is an export in AWS's layout. Kept free of the
 * S3 SDK (commands import it before they know they need S3: the SDK loads only when they do).
 */
import { statSync } from 'node:fs';

/** An s3:// URL (the same test as src/aws/s3.ts isS3Url, without loading the SDK). */
export const looksLikeS3 = (spec: string) => /^s3:\/\//i.test(spec);

/** An s3:// URL or an existing folder: read as AWS's layout (a file stays our ndjson export). */
export function isAwsLayoutSource(spec: string): boolean {
  if (looksLikeS3(spec)) return true;
  try {
    return statSync(spec).isDirectory();
  } catch {
    return false;
  }
}

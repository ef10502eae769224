/**
 * "Is this endpoint AWS?" and "are these two endpoints the same place?", decided from the URL's
 * parsed, normalised host, never from its text: `https://DynamoDB.us-east-1.amazonaws.com.` (a
 * trailing dot, capitals), `https://dynamodb.eu-west-1.api.aws` (dual-stack), FIPS and VPC endpoint
 * names, China and the other partitions are all AWS, and `http://127.0.0.1:8000/` is the same
 * DynamoDB Local as `http://localhost:8000`.
 *
 * The suffixes are every partition's `dnsSuffix` and `dualStackDnsSuffix` as the AWS SDK's own
 * partition table lists them (@aws-sdk/core, util-endpoints `partitions.js`), copied here so this
 * module stays free of the SDK.
 */

export const AWS_DNS_SUFFIXES = [
  'amazonaws.com',
  'amazonaws.com.cn',
  'amazonaws.eu',
  'c2s.ic.gov',
  'cloud.adc-e.uk',
  'csp.hci.ic.gov',
  'sc2s.sgov.gov',
  'api.aws',
  'api.amazonwebservices.com.cn',
  'api.amazonwebservices.eu',
  'api.aws.hci.ic.gov',
  'api.aws.ic.gov',
  'api.aws.scloud',
  'api.cloud-aws.adc-e.uk',
] as const;

/** A parsed URL's host as DNS sees it: lower case (URL already folds it), no trailing dots, no IPv6 brackets. */
export function normalHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '');
}

export function isAwsHost(hostname: string): boolean {
  const host = normalHost(hostname);
  return AWS_DNS_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True when `url` is an http(s) URL whose host is AWS's; a text that is not a URL is not AWS. */
export function isAwsEndpoint(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && isAwsHost(parsed.hostname);
}

/** Names of this machine: a DynamoDB Local reached by any of them is the same one. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|0\.0\.0\.0|::)$/;

/**
 * One spelling per place, for comparing endpoints: scheme, normalised host (every loopback name is
 * `localhost`), the port (the scheme's default when none is written), and the path without its
 * trailing slashes. Query, fragment and credentials are not part of where DynamoDB is.
 */
export function endpointKey(url: string): string {
  const parsed = parse(url);
  if (!parsed) return url;
  let host = normalHost(parsed.hostname);
  if (LOOPBACK.test(host)) host = 'localhost';
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '');
  return `${parsed.protocol}//${host}:${port}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * The prices the managed paths quote before they cost anything, USD, us-east-1, Standard table class.
 * From memory of https://aws.amazon.com/dynamodb/pricing/on-demand/ (the stored copies of that page this
 * project could search showed no figures for these lines), written down on `date`: a line in a message says
 * "about", and docs/scale.md says the same. Other regions cost more; check the page before trusting a sum.
 */
export const MANAGED_PRICES = {
  date: '2026-12-04',
  source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (from memory, not read on that date)',
  /** Export to S3, full: per GB of the table's size at the export time. */
  exportPerGb: 0.1,
  /** Import from S3: per GB of uncompressed source data processed. */
  importPerGb: 0.15,
  /** Continuous backups (PITR): per GB-month of the table's size (data and LSIs), while it is on. */
  pitrPerGbMonth: 0.2,
};

const GB = 1024 ** 3;

/** `$0.42`, or `under $0.01`: a price for a message. */
export function dollars(amount: number): string {
  return amount < 0.01 ? 'under $0.01' : `$${amount.toFixed(2)}`;
}

export const perGb = (bytes: number, price: number): number => (bytes / GB) * price;

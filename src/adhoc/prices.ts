/**
 * DynamoDB on-demand request prices, kept as data: USD per million request units, Standard table class.
 *
 * `source` is AWS's price page; it fills its table in the browser, so the figures were checked on `checked`
 * against what quotes it: the reports of the price cut that took effect on `date` (on-demand throughput
 * halved, to 0.125 per million read and 0.625 per million write request units in US East, N. Virginia).
 * Only regions whose price could be checked are listed: a region missing here gets no estimate rather than
 * a guess (the AWS Price List API, pricing.us-east-1.amazonaws.com, has every region's). Prices change:
 * `CRUDDUR_PRICE_FILE` names a JSON file of this same shape to use instead (docs/adhoc.md), e.g. with your
 * region's prices from the page, or your negotiated ones.
 *
 * One read request unit is what ConsumedCapacity reports as one read capacity unit (a strongly consistent
 * read of 4 KB; an eventually consistent one is half), one write request unit one write capacity unit
 * (1 KB written); so the units DynamoDB reports are priced as they are.
 */
export const ON_DEMAND_PRICES = {
  date: '2024-11-01',
  checked: '2026-12-04',
  source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  currency: 'USD',
  regions: {
    'us-east-1': { readPerMillion: 0.125, writePerMillion: 0.625 },
  },
};

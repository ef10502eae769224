/**
 * DynamoDB on-demand request prices, USD per million request units, Standard table class, from
 * https://aws.amazon.com/dynamodb/pricing/on-demand/ as of `date`: check it before trusting an estimate.
 * Kept as data: CRUDDUR_PRICE_FILE names a JSON file of this shape to use instead (docs/adhoc.md).
 */
export const ON_DEMAND_PRICES = {
  date: '2024-11-01',
  currency: 'USD',
  regions: {
    'us-east-1': {
      readPerMillion: 0.125,
      writePerMillion: 0.625,
    },
    'us-east-2': {
      readPerMillion: 0.125,
      writePerMillion: 0.625,
    },
    'us-west-2': {
      readPerMillion: 0.125,
      writePerMillion: 0.625,
    },
  },
};

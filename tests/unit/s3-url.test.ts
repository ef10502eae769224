import { describe, expect, it } from 'vitest';
import { keyUnder, parseS3Url } from '../../src/aws/s3.js';

describe('s3:// locations', () => {
  it.each([
    ['s3://bucket', { bucket: 'bucket', prefix: '' }],
    ['s3://bucket/', { bucket: 'bucket', prefix: '' }],
    ['s3://my.bucket-1/exports/2026/', { bucket: 'my.bucket-1', prefix: 'exports/2026' }],
    ['S3://bucket/a', { bucket: 'bucket', prefix: 'a' }],
  ])('%s', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it.each(['s3://', 's3:///prefix', 's3://Bucket/x', 's3://ab/x', 'https://bucket/x'])('%s is refused with one line', (url) => {
    expect(() => parseS3Url(url)).toThrow(expect.objectContaining({ code: 's3.bad_url', exitCode: 2 }));
  });

  it('puts names under the prefix', () => {
    expect(keyUnder({ bucket: 'b', prefix: '' }, 'x.json')).toBe('x.json');
    expect(keyUnder({ bucket: 'b', prefix: 'p/q' }, 'x.json')).toBe('p/q/x.json');
  });
});

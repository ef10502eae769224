"""dynamodump's restore, for the data benchmark: BatchWriteItem with 25 items a request, one request
at a time, unprocessed items retried (dynamodump gives up after six retries; so does this).

python3 bench/data-restore.py <endpoint> <table> <export file>   (cruddur-ddb's export format)
"""
import base64
import json
import sys
import time

import boto3

endpoint, table, path = sys.argv[1:4]
client = boto3.client(
    "dynamodb",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="cruddurlocal",
    aws_secret_access_key="cruddurlocal",
)


def typed(value):
    """Typed JSON to what boto3's client takes: base64 text becomes bytes."""
    (kind, inner), = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner)}
    if kind == "BS":
        return {"BS": [base64.b64decode(v) for v in inner]}
    if kind == "M":
        return {"M": {k: typed(v) for k, v in inner.items()}}
    if kind == "L":
        return {"L": [typed(v) for v in inner]}
    return value


def write(batch):
    requests = batch
    for attempt in range(7):
        out = client.batch_write_item(RequestItems={table: requests})
        requests = out.get("UnprocessedItems", {}).get(table, [])
        if not requests:
            return 0
        time.sleep(min(1, 0.05 * 2**attempt))
    return len(requests)


written = dropped = 0
batch = []
with open(path) as f:
    f.readline()  # the header
    for line in f:
        if not line.strip():
            continue
        item = json.loads(line)["Item"]
        batch.append({"PutRequest": {"Item": {k: typed(v) for k, v in item.items()}}})
        if len(batch) == 25:
            dropped += write(batch)
            written += 25
            batch = []
if batch:
    dropped += write(batch)
    written += len(batch)
print(written - dropped)
if dropped:
    print(f"{dropped} dropped", file=sys.stderr)

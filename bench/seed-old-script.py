"""The old bin/ddb/seed's way of writing, for the seed benchmark: boto3 put_item once per item, in sequence.

python3 bench/seed-old-script.py <endpoint> <table> <items.json>   (items in DynamoDB JSON, one list)
"""
import json
import sys

import boto3

endpoint, table, path = sys.argv[1:4]
client = boto3.client(
    "dynamodb",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="cruddurlocal",
    aws_secret_access_key="cruddurlocal",
)
with open(path) as f:
    items = json.load(f)
for item in items:
    client.put_item(TableName=table, Item=item)
print(len(items))

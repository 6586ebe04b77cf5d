import json

import numpy as np


def lambda_handler(event, context):
    values = np.array([float(v) for v in (event.get("queryStringParameters") or {}).get("v", "1,2").split(",")])
    return {"statusCode": 200, "body": json.dumps({"mean": float(values.mean())})}

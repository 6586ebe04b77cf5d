import base64
import io

from PIL import Image


def lambda_handler(event, context):
    image = Image.open(io.BytesIO(base64.b64decode(event["body"])))
    image.thumbnail((128, 128))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return {"statusCode": 200, "isBase64Encoded": True, "body": base64.b64encode(out.getvalue()).decode()}

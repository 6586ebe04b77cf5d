import json
import os

import requests
from bs4 import BeautifulSoup


def check(event, context):
    page = requests.get(os.environ["PRODUCT_URL"], timeout=10)
    price = BeautifulSoup(page.text, "html.parser").select_one(".price")
    return {"statusCode": 200, "body": json.dumps({"price": price.text if price else None})}

import os

import requests

print(requests.get(os.environ.get("TARGET_URL", "https://example.com"), timeout=10).status_code)

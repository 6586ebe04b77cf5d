import hmac
import os

from dotenv import load_dotenv
from flask_httpauth import HTTPTokenAuth

load_dotenv()
auth = HTTPTokenAuth(scheme="Bearer")
VALID_API_KEYS = [key for key in os.environ.get("API_KEYS", "").split(",") if key]


@auth.verify_token
def verify_token(token):
    for key in VALID_API_KEYS:
        if hmac.compare_digest(token.encode(), key.encode()):
            return token
    return None

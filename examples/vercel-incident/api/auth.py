from flask_httpauth import HTTPTokenAuth
from werkzeug.security import safe_str_cmp
import os
from dotenv import load_dotenv

load_dotenv()
auth = HTTPTokenAuth(scheme="Bearer")
VALID_API_KEYS = set(filter(None, os.environ.get("API_KEYS", "").split(",")))


@auth.verify_token
def verify_token(token):
    if token in VALID_API_KEYS:
        return token
    return None

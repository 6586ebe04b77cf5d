import os

from werkzeug.security import safe_str_cmp

API_TOKEN = os.environ.get("API_TOKEN", "")


def token_ok(token: str) -> bool:
    return safe_str_cmp(token, API_TOKEN)

import os
import secrets

from flask import Flask, jsonify, redirect, request

app = Flask(__name__)
LINKS = {}


@app.post("/shorten")
def shorten():
    code = secrets.token_urlsafe(4)
    LINKS[code] = request.get_json()["url"]
    return jsonify(code=code)


@app.get("/<code>")
def follow(code):
    return redirect(LINKS.get(code, os.environ.get("HOME_URL", "/")))

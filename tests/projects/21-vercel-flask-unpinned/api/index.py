import requests
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/api/quote")
def quote():
    data = requests.get("https://api.quotable.io/random", timeout=5).json()
    return jsonify(text=data.get("content"), author=data.get("author"))

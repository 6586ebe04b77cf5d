from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/api/status")
def status():
    return jsonify(ok=True)

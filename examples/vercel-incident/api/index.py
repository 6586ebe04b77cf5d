from flask import Flask, jsonify

from api.auth import auth

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/v1/models")
@auth.login_required
def models():
    return jsonify(models=["tts-1"])

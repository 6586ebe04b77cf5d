from flask import Flask, jsonify, request
from flask_cors import CORS

from api.auth import auth

app = Flask(__name__)
CORS(app)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/v1/audio/speech")
@auth.login_required
def speech():
    payload = request.get_json(force=True)
    return jsonify(task_id="pending", voice=payload.get("voice", "alloy"))

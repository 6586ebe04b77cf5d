import os

import cv2
import numpy as np
from flask import Flask, jsonify, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"))


@app.post("/analyze")
def analyze():
    data = np.frombuffer(request.files["frame"].read(), dtype=np.uint8)
    frame = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if frame is None:
        return jsonify(error="not an image"), 400
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    motion = float(cv2.Laplacian(gray, cv2.CV_64F).var())
    return jsonify(shape=list(frame.shape), sharpness=motion)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))

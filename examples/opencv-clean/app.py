import cv2
import numpy as np
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/frames")
def frames():
    data = np.frombuffer(request.get_data(), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return jsonify(shape=list(image.shape) if image is not None else None)

import cv2
import numpy as np
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/edges")
def edges():
    data = np.frombuffer(request.get_data(), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    return jsonify(edges=int(cv2.Canny(image, 100, 200).sum() // 255))

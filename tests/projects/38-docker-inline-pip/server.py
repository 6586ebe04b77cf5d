import cv2
import numpy as np
from flask import Flask, request

app = Flask(__name__)


@app.post("/thumb")
def thumb():
    image = cv2.imdecode(np.frombuffer(request.data, np.uint8), cv2.IMREAD_COLOR)
    small = cv2.resize(image, (128, 128))
    return cv2.imencode(".png", small)[1].tobytes(), 200, {"Content-Type": "image/png"}

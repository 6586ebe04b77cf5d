import os
import time

import cv2
import requests

STREAM = os.environ["STREAM_URL"]
UPLOAD = os.environ["UPLOAD_URL"]

capture = cv2.VideoCapture(STREAM)
while True:
    ok, frame = capture.read()
    if ok:
        _, jpeg = cv2.imencode(".jpg", frame)
        requests.post(UPLOAD, data=jpeg.tobytes(), timeout=10)
    time.sleep(5)

import cv2
import numpy as np
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/blur")
async def blur(file: UploadFile):
    data = np.frombuffer(await file.read(), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return {"blur": float(cv2.Laplacian(image, cv2.CV_64F).var())}

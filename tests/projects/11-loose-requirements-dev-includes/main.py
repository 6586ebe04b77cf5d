import cv2
import numpy as np
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/edges")
async def edges(file: UploadFile):
    data = np.frombuffer(await file.read(), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    return {"edges": int(cv2.Canny(image, 100, 200).sum() // 255)}

import io

from fastapi import FastAPI, UploadFile
from PIL import Image

app = FastAPI()


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/thumbnail")
async def thumbnail(file: UploadFile):
    image = Image.open(io.BytesIO(await file.read()))
    image.thumbnail((256, 256))
    return {"size": image.size}

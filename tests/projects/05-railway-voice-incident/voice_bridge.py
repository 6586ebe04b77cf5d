import os

from fastapi import FastAPI, WebSocket

app = FastAPI(title="voice bridge")


@app.get("/health")
def health():
    return {"status": "ok", "model": os.environ.get("PHI_MODEL", "phi-3-mini")}


@app.websocket("/ws")
async def bridge(socket: WebSocket):
    await socket.accept()
    async for message in socket.iter_text():
        await socket.send_text(message.upper())

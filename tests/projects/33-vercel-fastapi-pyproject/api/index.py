import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/api/preview")
async def preview(url: str):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(url)
    return {"status": response.status_code, "length": len(response.content)}

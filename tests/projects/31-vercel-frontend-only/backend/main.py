from fastapi import FastAPI

app = FastAPI()


@app.get("/api/metrics")
def metrics():
    return {"visitors": 0}

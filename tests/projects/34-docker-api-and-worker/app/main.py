import redis
from fastapi import FastAPI

app = FastAPI()
queue = redis.Redis(host="redis")


@app.post("/jobs")
def enqueue(url: str):
    queue.rpush("jobs", url)
    return {"queued": url}

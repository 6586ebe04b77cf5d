import numpy as np
from fastapi import FastAPI

app = FastAPI()


@app.get("/stats")
def stats(values: str = "1,2,3"):
    data = np.array([float(v) for v in values.split(",")])
    return {"mean": float(data.mean()), "std": float(data.std())}

import numpy as np
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/mean")
def mean():
    values = np.array(request.get_json()["values"], dtype=float)
    return jsonify(mean=float(values.mean()))

import pandas as pd
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    frame = pd.DataFrame({"visits": [3, 5, 8]})
    return jsonify(total=int(frame["visits"].sum()))

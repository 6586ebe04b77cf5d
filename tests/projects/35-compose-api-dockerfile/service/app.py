import os

import psycopg2
from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    psycopg2.connect(os.environ["DATABASE_URL"]).close()
    return "ok"

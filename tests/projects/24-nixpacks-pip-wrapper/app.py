import os

import psycopg2
from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn:
        conn.cursor().execute("SELECT 1")
    return "ok"

from flask import Flask

import settings

app = Flask(__name__)
app.config["DEBUG"] = settings.DEBUG


@app.get("/")
def index():
    return "ok"

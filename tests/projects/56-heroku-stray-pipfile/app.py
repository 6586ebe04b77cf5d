import requests
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/weather/<city>")
def weather(city):
    reply = requests.get("https://wttr.in/" + city, params={"format": "j1"}, timeout=10)
    return jsonify(reply.json()["current_condition"][0])

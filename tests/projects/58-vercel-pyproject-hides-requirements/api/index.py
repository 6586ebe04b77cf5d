from flask import Flask, jsonify, request
from pydantic import BaseModel

app = Flask(__name__)


class Note(BaseModel):
    title: str
    body: str = ""


@app.post("/api/notes")
def create():
    note = Note.model_validate(request.get_json())
    return jsonify(note.model_dump()), 201

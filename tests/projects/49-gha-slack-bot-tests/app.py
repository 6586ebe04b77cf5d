import os

from slack_bolt import App

app = App(token=os.environ.get("SLACK_BOT_TOKEN"), signing_secret=os.environ.get("SLACK_SIGNING_SECRET"))


@app.command("/standup")
def standup(ack, respond):
    ack()
    respond("Standup starts in 5 minutes")

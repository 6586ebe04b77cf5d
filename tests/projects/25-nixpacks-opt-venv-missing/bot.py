import os

import discord

intents = discord.Intents.default()
client = discord.Client(intents=intents)


@client.event
async def on_ready():
    print(f"logged in as {client.user}")


client.run(os.environ["DISCORD_TOKEN"])

import redis
import requests

queue = redis.Redis(host="redis")
while True:
    _, url = queue.blpop("jobs")
    print(requests.get(url.decode(), timeout=10).status_code)

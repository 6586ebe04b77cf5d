import sys

import pandas as pd
import requests


def main(url):
    rows = requests.get(url, timeout=30).json()
    frame = pd.DataFrame(rows)
    print(frame.groupby("region")["amount"].sum().to_string())


if __name__ == "__main__":
    main(sys.argv[1])

from deploylint.cli import run

run()

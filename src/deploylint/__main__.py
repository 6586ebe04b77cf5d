import sys

from deploylint.cli import main

sys.exit(main())

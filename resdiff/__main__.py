"""`python -m resdiff` runs the command line."""

from resdiff.console import main

main()

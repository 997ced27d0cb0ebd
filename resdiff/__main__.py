"""`python -m resdiff` runs the command line."""

from resdiff.cli import main

main()

"""`python -m assistant` runs the same command line as `kindly`."""

from assistant.cli import main

raise SystemExit(main())
